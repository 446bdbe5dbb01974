// The Twilio twin as tests, the sandbox and the benchmark use it: one REST twin, one frame ticker and one call
// registry shared by every caller it places. It owns their lifetimes and never reaches the real Twilio.
import { systemClock, type Clock } from '../../shared/clock.ts';
import { CallRegistry } from './call-registry.ts';
import { createFrameTicker, type FrameTicker } from './frame-ticker.ts';
import { defaultSpeechSynthesizer, type SpeechSynthesizer } from './speech-audio.ts';
import { TwilioCaller, type PlaceCallOptions } from './twilio-caller.ts';
import { startTwilioRestTwin, type TwilioRestTwin } from './twilio-rest-twin.ts';

export type TwilioTwinOptions = {
  accountSid: string;
  authToken: string;
  /** Where the service listens (loopback). */
  serviceBaseUrl: string;
  /** The public base URL the service signs and validates against; defaults to `serviceBaseUrl`. */
  publicUrl?: string;
  /** The number's "call status changes" URL, used for every call unless a call overrides it. */
  statusCallbackUrl?: string;
  clock?: Clock;
  speech?: SpeechSynthesizer;
};

export type TwinCallOptions = Omit<PlaceCallOptions, 'accountSid' | 'authToken' | 'serviceBaseUrl' | 'publicUrl' | 'clock' | 'ticker' | 'registry'>;

export type TwilioTwin = {
  readonly rest: TwilioRestTwin;
  readonly registry: CallRegistry;
  readonly ticker: FrameTicker;
  placeCall(options?: TwinCallOptions): Promise<TwilioCaller>;
  callers(): readonly TwilioCaller[];
  /** Drops every live caller without protocol, then stops the REST twin and the ticker. Safe to call twice. */
  close(): Promise<void>;
};

export async function createTwilioTwin(options: TwilioTwinOptions): Promise<TwilioTwin> {
  if (!/^AC[0-9a-f]{32}$/.test(options.accountSid)) throw new Error('accountSid must be AC + 32 lowercase hex characters');
  const clock = options.clock ?? systemClock;
  const registry = new CallRegistry();
  const ticker = createFrameTicker(clock);
  const speech = options.speech ?? defaultSpeechSynthesizer();
  const rest = await startTwilioRestTwin({ accountSid: options.accountSid, authToken: options.authToken, registry, clock });
  const callers: TwilioCaller[] = [];
  let isClosed = false;

  return {
    rest,
    registry,
    ticker,
    async placeCall(callOptions = {}) {
      if (isClosed) throw new Error('the Twilio twin is closed');
      const statusCallbackUrl = callOptions.statusCallbackUrl ?? options.statusCallbackUrl;
      const caller = new TwilioCaller({
        speech,
        ...callOptions,
        ...(statusCallbackUrl === undefined ? {} : { statusCallbackUrl }),
        accountSid: options.accountSid,
        authToken: options.authToken,
        serviceBaseUrl: options.serviceBaseUrl,
        publicUrl: options.publicUrl ?? options.serviceBaseUrl,
        clock,
        ticker,
        registry,
      });
      callers.push(caller);
      await caller.begin();
      return caller;
    },
    callers: () => callers,
    async close() {
      if (isClosed) return;
      isClosed = true;
      for (const caller of callers) caller.dispose();
      ticker.close();
      await rest.close();
    },
  };
}
