import { describe, expect, it } from 'vitest';
import { mediaMessages, placeStreamingCall } from './support/twin-setup.ts';

describe('caller twin: real-time pacing', () => {
  it('sends frames on a schedule computed from the stream start, so lateness never accumulates', async () => {
    const { caller, stream } = await placeStreamingCall({ realTime: true });
    await stream.waitFor((messages) => mediaMessages(messages).length >= 26);
    await caller.hangUp();
    const sentAtMs = caller.timings().framesSentAtMs.slice(0, 26);
    const startMs = caller.streams()[0]?.startedAtMs ?? 0;
    const offsetsMs = sentAtMs.map((atMs, index) => atMs - startMs - index * 20);
    expect(Math.min(...offsetsMs)).toBeGreaterThanOrEqual(-1);
    expect(offsetsMs.at(-1)).toBeLessThan(60);
    expect(mediaMessages(stream.messages).slice(0, 26).map((frame) => frame.timestamp)).toEqual(Array.from({ length: 26 }, (_, index) => String(index * 20)));
  });

  it('speaks synthesized text in real time and resolves when it was all sent', async () => {
    const { caller, stream } = await placeStreamingCall({ realTime: true });
    await caller.say('ok');
    await caller.hangUp();
    const silent = Buffer.alloc(160, 0xff).toString('base64');
    const spoken = mediaMessages(stream.messages).filter((frame) => frame.payload !== silent);
    expect(spoken.length).toBeGreaterThanOrEqual(6);
    expect(spoken.length).toBeLessThanOrEqual(7);
  });
});
