// Ports the agent's tools depend on, named for what they need; app.ts supplies the adapters.
import type { Result } from '../shared/result.ts';

/** Texts the caller (tracking links, return steps); only ever to the number they called from. */
export interface SmsSender {
  send(message: { to: string; body: string }): Promise<Result<{ sid: string }, { code: string }>>;
}
