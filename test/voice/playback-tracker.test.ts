import { describe, expect, it } from 'vitest';
import { HEARD_SLACK_MS, PlaybackTracker } from '../../src/voice/playback-tracker.ts';

const FRAME_BYTES = 160; // 20 ms of µ-law.

function sendFrames(tracker: PlaybackTracker, itemId: string, count: number, responseId = 'resp_1') {
  const marks: string[] = [];
  for (let i = 0; i < count; i++) {
    const { startMark, endMark } = tracker.recordAudio(responseId, itemId, 0, FRAME_BYTES);
    if (startMark) marks.push(startMark);
    marks.push(endMark);
  }
  return marks;
}

describe('PlaybackTracker', () => {
  it('sends a start mark only before the first audio of an item', () => {
    const tracker = new PlaybackTracker();
    expect(tracker.recordAudio('resp_1', 'item_1', 0, FRAME_BYTES).startMark).not.toBeNull();
    expect(tracker.recordAudio('resp_1', 'item_1', 0, FRAME_BYTES).startMark).toBeNull();
  });

  it('reports the first audio the caller hears once, from the start mark', () => {
    const tracker = new PlaybackTracker();
    const [start, first] = sendFrames(tracker, 'item_1', 2);
    expect(tracker.acknowledge(start!, 1000)).toMatchObject({ kind: 'heard', isFirstAudio: true, heardMs: 0 });
    expect(tracker.acknowledge(first!, 1020)).toMatchObject({ kind: 'heard', isFirstAudio: false, heardMs: 20 });
  });

  it('truncates the reply at the last mark the caller heard plus the slack', () => {
    const tracker = new PlaybackTracker();
    const marks = sendFrames(tracker, 'item_1', 50); // 1 s sent.
    for (const name of marks.slice(0, 11)) tracker.acknowledge(name, 0); // start + 10 frames = 200 ms heard.
    expect(tracker.interrupt()).toEqual([{ itemId: 'item_1', contentIndex: 0, audioEndMs: 200 + HEARD_SLACK_MS, generatedMs: 1000 }]);
  });

  it('never truncates past the audio that was sent', () => {
    const tracker = new PlaybackTracker();
    const marks = sendFrames(tracker, 'item_1', 3); // 60 ms sent.
    for (const name of marks.slice(0, 3)) tracker.acknowledge(name, 0); // 40 ms heard.
    expect(tracker.interrupt()).toEqual([{ itemId: 'item_1', contentIndex: 0, audioEndMs: 60, generatedMs: 60 }]);
  });

  it('cuts a later queued item at zero', () => {
    const tracker = new PlaybackTracker();
    const first = sendFrames(tracker, 'item_1', 5, 'resp_1');
    sendFrames(tracker, 'item_2', 5, 'resp_2');
    for (const name of first.slice(0, 3)) tracker.acknowledge(name, 0);
    expect(tracker.interrupt()).toEqual([
      { itemId: 'item_1', contentIndex: 0, audioEndMs: 40 + HEARD_SLACK_MS, generatedMs: 100 },
      { itemId: 'item_2', contentIndex: 0, audioEndMs: 0, generatedMs: 100 },
    ]);
  });

  it('needs no truncation once everything sent was heard', () => {
    const tracker = new PlaybackTracker();
    for (const name of sendFrames(tracker, 'item_1', 5)) tracker.acknowledge(name, 0);
    expect(tracker.hasUnheardAudio).toBe(false);
    expect(tracker.interrupt()).toEqual([]);
  });

  it('ignores the echoes Twilio sends for marks flushed by a clear', () => {
    const tracker = new PlaybackTracker();
    const marks = sendFrames(tracker, 'item_1', 10);
    tracker.acknowledge(marks[0]!, 0);
    tracker.interrupt();
    for (const name of marks.slice(1)) expect(tracker.acknowledge(name, 0)).toEqual({ kind: 'stale' });
    expect(tracker.hasUnheardAudio).toBe(false);
  });

  it('tells an unknown mark of the current generation from a stale one', () => {
    const tracker = new PlaybackTracker();
    expect(tracker.acknowledge('g0:999', 0)).toEqual({ kind: 'unknown' });
    tracker.interrupt();
    expect(tracker.acknowledge('g0:1', 0)).toEqual({ kind: 'stale' });
  });

  it('forgets items that are finished and heard, so state stays constant over a long call', () => {
    const tracker = new PlaybackTracker();
    for (let turn = 0; turn < 100; turn++) {
      const itemId = `item_${turn}`;
      for (const name of sendFrames(tracker, itemId, 5)) tracker.acknowledge(name, 0);
      tracker.markAudioDone(itemId);
    }
    expect(tracker.trackedItemCount).toBe(0);
  });

  it('keeps counting an item whose audio is still streaming while playout catches up', () => {
    const tracker = new PlaybackTracker();
    for (const name of sendFrames(tracker, 'item_1', 5)) tracker.acknowledge(name, 0);
    const more = sendFrames(tracker, 'item_1', 5);
    expect(more).toHaveLength(5);
    tracker.acknowledge(more[1]!, 0); // 140 ms heard of 200 ms sent.
    expect(tracker.interrupt()).toEqual([{ itemId: 'item_1', contentIndex: 0, audioEndMs: 190, generatedMs: 200 }]);
  });
});
