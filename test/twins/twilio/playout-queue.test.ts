import { describe, expect, it } from 'vitest';
import { HeardTimeline, MAX_BUFFERED_MS, PlayoutQueue } from '../../../src/twins/twilio/playout-queue.ts';

function setUp(keepsAudio = true): { timeline: HeardTimeline; queue: PlayoutQueue } {
  const timeline = new HeardTimeline({ keepsAudio });
  return { timeline, queue: new PlayoutQueue(timeline, 0) };
}

const audio = (ms: number, byte = 0x10): Buffer => Buffer.alloc(ms * 8, byte);

describe('PlayoutQueue', () => {
  it('drains at 8 bytes per ms and records exactly the bytes played', () => {
    const { timeline, queue } = setUp();
    queue.appendAudio(audio(100), 0);
    queue.advance(25);
    expect(timeline.totalMs()).toBe(25);
    queue.advance(250);
    expect(timeline.segments()).toEqual([{ startMs: 0, endMs: 100, bytes: 800, audio: audio(100) }]);
    expect(queue.isPlaying(250)).toBe(false);
  });

  it('plays appended audio back to back and starts late audio when it arrives', () => {
    const { timeline, queue } = setUp(false);
    queue.appendAudio(audio(50), 0);
    queue.appendAudio(audio(50), 10);
    queue.appendAudio(audio(20), 300);
    queue.advance(400);
    expect(timeline.segments()).toEqual([
      { startMs: 0, endMs: 100, bytes: 800 },
      { startMs: 300, endMs: 320, bytes: 160 },
    ]);
  });

  it('echoes a mark at once on an empty queue and at the end of the audio before it otherwise', () => {
    const { queue } = setUp();
    expect(queue.appendMark('empty', 5)).toEqual([{ name: 'empty', queuedAtMs: 5, echoedAtMs: 5, wasCleared: false }]);
    queue.appendAudio(audio(40), 10);
    expect(queue.appendMark('after', 10)).toEqual([]);
    expect(queue.nextMarkDueMs()).toBe(50);
    expect(queue.advance(49)).toEqual([]);
    expect(queue.advance(60)).toEqual([{ name: 'after', queuedAtMs: 10, echoedAtMs: 50, wasCleared: false }]);
    expect(queue.nextMarkDueMs()).toBeUndefined();
  });

  it('clear keeps what was played, drops the rest and echoes pending marks in order', () => {
    const { timeline, queue } = setUp();
    queue.appendAudio(audio(100, 0x11), 0);
    queue.appendMark('a', 0);
    queue.appendAudio(audio(100, 0x22), 0);
    queue.appendMark('b', 0);
    const cleared = queue.clear(30);
    expect(cleared.echoes.map((echo) => [echo.name, echo.wasCleared, echo.echoedAtMs])).toEqual([
      ['a', true, 30],
      ['b', true, 30],
    ]);
    expect(cleared.droppedBytes).toBe(1600 - 240);
    expect(timeline.segments()).toEqual([{ startMs: 0, endMs: 30, bytes: 240, audio: audio(30, 0x11) }]);
    expect(timeline.heardAfterMs(30)).toBe(0);
    expect(queue.isPlaying(30)).toBe(false);
    expect(queue.idleSinceMs()).toBe(30);
  });

  it('echoes marks that were already due before a clear as played, not cleared', () => {
    const { queue } = setUp();
    queue.appendAudio(audio(10), 0);
    queue.appendMark('played', 0);
    queue.appendAudio(audio(100), 0);
    queue.appendMark('pending', 0);
    expect(queue.clear(50).echoes.map((echo) => [echo.name, echo.wasCleared])).toEqual([
      ['played', false],
      ['pending', true],
    ]);
  });

  it('discards audio past the ten-minute buffer ceiling (31931)', () => {
    const { queue } = setUp(false);
    expect(queue.appendAudio(audio(MAX_BUFFERED_MS + 1), 0).isAccepted).toBe(true);
    expect(queue.appendAudio(audio(10), 0).isAccepted).toBe(false);
  });

  it('loses unplayed audio and marks when the stream ends', () => {
    const { timeline, queue } = setUp();
    queue.appendAudio(audio(100), 0);
    queue.appendMark('never', 0);
    expect(queue.discard(40)).toEqual({ droppedBytes: 480 });
    expect(timeline.totalMs()).toBe(40);
    expect(queue.nextMarkDueMs()).toBeUndefined();
  });
});

describe('HeardTimeline', () => {
  it('measures audio heard in and after a window', () => {
    const timeline = new HeardTimeline({ keepsAudio: false });
    timeline.record(0, audio(100));
    timeline.record(200, audio(100));
    expect(timeline.heardAfterMs(50)).toBe(150);
    expect(timeline.heardBetweenMs(50, 250)).toBe(100);
    expect(timeline.totalMs()).toBe(200);
  });
});
