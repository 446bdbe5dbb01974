// Exponential backoff with jitter, pure: the attempt number, the policy and a random source in, a delay out.
// Used by the Gorgias client between retries and by the outbox worker between delivery attempts.

export type BackoffPolicy = { readonly baseDelayMs: number; readonly maxDelayMs: number };

/**
 * Delay before retry number `attempt` (1 = the first retry): the exponential step capped at `maxDelayMs`, of which
 * the upper half is random ("equal jitter"), so retries from many jobs spread out but never fire at once.
 */
export function backoffDelayMs(attempt: number, random: () => number, policy: BackoffPolicy): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const stepMs = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  const jitter = Math.min(Math.max(random(), 0), 1);
  return Math.round(stepMs / 2 + (stepMs / 2) * jitter);
}
