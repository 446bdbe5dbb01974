// Builds a Twilio twin on a manual clock against the fake service, and closes both when the test finishes.
import { onTestFinished, vi } from 'vitest';
import { systemClock } from '../../../../src/shared/clock.ts';
import { createSpeechSynthesizer } from '../../../../src/twins/twilio/speech-audio.ts';
import type { TwilioCaller } from '../../../../src/twins/twilio/twilio-caller.ts';
import { createTwilioTwin, type TwilioTwin, type TwinCallOptions } from '../../../../src/twins/twilio/twilio-twin.ts';
import { ManualClock } from './manual-clock.ts';
import { PUBLIC_URL, startFakeService, streamTwiml, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, xml, type FakeService, type FakeStream, type WireMessage } from './fake-service.ts';

export type TwinSetup = { clock: ManualClock; service: FakeService; twin: TwilioTwin };

/** A twin on a manual clock; `realTime` runs it on the system clock instead (the returned clock is then unused). */
export async function setUpTwin(options: { realTime?: boolean } = {}): Promise<TwinSetup> {
  const clock = new ManualClock();
  const service = await startFakeService();
  onTestFinished(() => service.close());
  const twin = await createTwilioTwin({
    accountSid: TEST_ACCOUNT_SID,
    authToken: TEST_AUTH_TOKEN,
    serviceBaseUrl: service.baseUrl,
    publicUrl: PUBLIC_URL,
    clock: options.realTime ? systemClock : clock,
    speech: createSpeechSynthesizer({ engine: 'synthetic' }),
  });
  onTestFinished(() => twin.close());
  return { clock, service, twin };
}

export type StreamingCall = TwinSetup & { caller: TwilioCaller; stream: FakeStream; streamSid: string };

/** Places a call answered with a stream, and waits for `connected` + `start` to arrive. */
export async function placeStreamingCall(options: { twiml?: string; call?: TwinCallOptions; realTime?: boolean } = {}): Promise<StreamingCall> {
  const setup = await setUpTwin({ realTime: options.realTime ?? false });
  setup.service.answer('/twilio/voice', xml(options.twiml ?? streamTwiml()));
  const placing = setup.twin.placeCall(options.call);
  const stream = await setup.service.nextStream();
  const caller = await placing;
  await stream.waitFor((messages) => messages.length >= 2);
  return { ...setup, caller, stream, streamSid: stream.streamSid() };
}

export function mediaMessages(messages: readonly WireMessage[]): { chunk: string; timestamp: string; payload: string; track: string; sequenceNumber: string }[] {
  return messages
    .filter((message) => message.event === 'media')
    .map((message) => {
      const media = message.media as { chunk: string; timestamp: string; payload: string; track: string };
      return { ...media, sequenceNumber: String(message.sequenceNumber) };
    });
}

export function events(messages: readonly WireMessage[], event: string): WireMessage[] {
  return messages.filter((message) => message.event === event);
}

/** Waits until the caller has taken in `count` messages from the service (media + marks). */
export async function untilReceived(caller: TwilioCaller, counts: { media?: number; marks?: number }): Promise<void> {
  await vi.waitFor(
    () => {
      const timings = caller.timings();
      if (timings.mediaReceivedAtMs.length < (counts.media ?? 0) || timings.marksReceived.length < (counts.marks ?? 0)) {
        throw new Error('not yet received');
      }
    },
    { timeout: 5000, interval: 2 },
  );
}

export function tone(durationMs: number): Buffer {
  return Buffer.alloc(durationMs * 8, 0x10);
}
