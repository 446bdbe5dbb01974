// A Gorgias twin on loopback plus a client pointed at it, both closed when the test finishes.
import { expect, onTestFinished } from 'vitest';
import { createGorgiasClient, type GorgiasClient, type GorgiasClientOptions } from '../../../src/helpdesk/gorgias-client.ts';
import type { Clock } from '../../../src/shared/clock.ts';
import { startGorgiasTwin, type GorgiasTwin, type GorgiasTwinOptions } from '../../../src/twins/gorgias/gorgias-twin.ts';
import { captureLog, type CapturedLog } from '../../support/log-capture.ts';
import { SkippingClock } from './skipping-clock.ts';

export type Harness = { twin: GorgiasTwin; client: GorgiasClient; clock: Clock; captured: CapturedLog; newClient(overrides?: Partial<GorgiasClientOptions>): GorgiasClient };

/** `allowedProblems`: warn/error log events the test expects; any other one fails it. */
export async function startHarness(
  options: { twin?: GorgiasTwinOptions; client?: Partial<GorgiasClientOptions>; clock?: Clock; allowedProblems?: readonly string[] } = {},
): Promise<Harness> {
  const twin = await startGorgiasTwin(options.twin);
  onTestFinished(() => twin.close());
  const clock = options.clock ?? new SkippingClock();
  const captured = captureLog();
  onTestFinished(() => expect(captured.problems(options.allowedProblems), 'unexpected warn/error logs').toEqual([]));
  const newClient = (overrides: Partial<GorgiasClientOptions> = {}) =>
    createGorgiasClient({
      apiUrl: twin.apiUrl,
      credentials: { kind: 'basic', email: twin.credentials.email, apiKey: twin.credentials.apiKey },
      clock,
      random: () => 0.5,
      log: captured.log,
      timeoutMs: 2_000,
      ...options.client,
      ...overrides,
    });
  return { twin, client: newClient(), clock, captured, newClient };
}
