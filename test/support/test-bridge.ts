// The sandbox bridge for a test: everything it starts is closed when the test finishes, and its log is captured.
import { onTestFinished } from 'vitest';
import { startSandboxBridge, type SandboxBridge, type SandboxBridgeOptions } from '../../scripts/sandbox-bridge.ts';
import type { TwilioCaller } from '../../src/twins/twilio/twilio-caller.ts';
import { captureLog, type CapturedLog } from './log-capture.ts';
import { openTestDatabase, type Engine } from './databases.ts';

export { CALLER_NUMBER, SUPPORT_NUMBER } from '../../scripts/sandbox-bridge.ts';

export type TestBridge = SandboxBridge & { log: CapturedLog };

export async function startTestBridge(options: Omit<SandboxBridgeOptions, 'database' | 'log'> & { engine?: Engine } = {}): Promise<TestBridge> {
  const log = captureLog('info');
  const database = await openTestDatabase(options.engine ?? 'pglite');
  let bridge: SandboxBridge;
  try {
    bridge = await startSandboxBridge({ ...options, database, log: log.log });
  } catch (error) {
    await database.close();
    throw error;
  }
  // One hook, in order: the service stops using the database before the database (and its schema) goes away.
  onTestFinished(async () => {
    await bridge.close();
    await database.close();
  });
  return { ...bridge, log };
}

/** The call's stored record once its session has ended. */
export function storedOutcome(bridge: TestBridge, caller: TwilioCaller) {
  return bridge.storedOutcome(caller);
}
