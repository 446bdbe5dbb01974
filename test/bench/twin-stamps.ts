// When the Realtime twin sent each echoed frame back. The twin takes ids as an input and names every server event
// the moment it sends it, so an id source that notes the monotonic time of each `event` id stamps every send.
import type { IdSource } from '../../src/shared/ids.ts';
import type { RealtimeTwin } from '../../src/twins/openai-realtime/realtime-twin.ts';
import { markerKey, readMarker } from './frame-markers.ts';

const STAMPED_PREFIX = 'event';

export class StampedIds implements IdSource {
  readonly #eventTimesMs: number[] = [];
  #counter = 0;

  next(prefix: string): string {
    const n = ++this.#counter;
    if (prefix === STAMPED_PREFIX) this.#eventTimesMs[n] = performance.now();
    return `${prefix}_bench${n}`;
  }

  /** Monotonic time the event with this id was named (and sent), or undefined for an id not made here. */
  sentAtMs(eventId: string): number | undefined {
    const match = /^event_bench(\d+)$/.exec(eventId);
    return match ? this.#eventTimesMs[Number(match[1])] : undefined;
  }
}

/**
 * Marker key → send time of every echoed audio delta that carried a marked frame. The echo sends each appended chunk
 * back in the same synchronous step that received it (scenario.ts, EchoScenario), so this is also when the twin got
 * the frame, up to the twin's own parse and VAD time.
 */
export function echoSendTimes(twin: RealtimeTwin, ids: StampedIds): Map<number, number> {
  const sends = new Map<number, number>();
  for (const connection of twin.connections()) {
    for (const event of connection.sent()) {
      if (event.type !== 'response.output_audio.delta') continue;
      const { delta, event_id: eventId } = event.payload;
      if (typeof delta !== 'string' || typeof eventId !== 'string') continue;
      const marker = readMarker(Buffer.from(delta, 'base64'));
      const atMs = ids.sentAtMs(eventId);
      if (marker && atMs !== undefined) sends.set(markerKey(marker), atMs);
    }
  }
  return sends;
}
