import { describe, expect, it } from 'vitest';
import { decodeMulaw } from '../../../src/shared/mulaw.ts';
import { EnergyVad, rmsDbfs, thresholdToDbfs, type VadEvent } from '../../../src/twins/openai-realtime/energy-vad.ts';
import { silenceMulaw, toneMulaw } from './realtime-test-client.ts';

type Segment = readonly ['tone' | 'silence', number];

function run(segments: readonly Segment[], settings = { threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500 }, chunkMs = 20): VadEvent[] {
  const vad = new EnergyVad({ thresholdDbfs: thresholdToDbfs(settings.threshold), prefixPaddingMs: settings.prefixPaddingMs, silenceDurationMs: settings.silenceDurationMs }, 0);
  const audio = Buffer.concat(segments.map(([kind, ms]) => (kind === 'tone' ? toneMulaw(ms) : silenceMulaw(ms))));
  const events: VadEvent[] = [];
  for (let offset = 0; offset < audio.length; offset += chunkMs * 8) events.push(...vad.push(decodeMulaw(audio.subarray(offset, offset + chunkMs * 8)), 8000));
  return events;
}

describe('EnergyVad', () => {
  it.each([
    [0, -60],
    [0.5, -35],
    [1, -10],
  ])('maps threshold %s to %s dBFS', (threshold, dbfs) => {
    expect(thresholdToDbfs(threshold)).toBe(dbfs);
  });

  it('starts speech at the first voiced frame minus prefix padding and stops after the silence duration', () => {
    expect(run([['silence', 1000], ['tone', 800], ['silence', 700]])).toEqual([
      { type: 'speech_started', audioStartMs: 700 },
      { type: 'speech_stopped', audioEndMs: 2300 },
    ]);
  });

  it.each<[string, Segment[], number, number]>([
    ['clamps the prefix to the start of the timeline', [['silence', 100], ['tone', 300], ['silence', 600]], 0, 900],
    ['keeps one segment across a pause shorter than the silence duration', [['silence', 500], ['tone', 300], ['silence', 400], ['tone', 300], ['silence', 600]], 200, 2000],
  ])('%s', (_name, segments, startMs, endMs) => {
    expect(run(segments)).toEqual([
      { type: 'speech_started', audioStartMs: startMs },
      { type: 'speech_stopped', audioEndMs: endMs },
    ]);
  });

  it('does not hear a tone quieter than a high threshold', () => {
    expect(run([['tone', 500], ['silence', 600]], { threshold: 0.95, prefixPaddingMs: 300, silenceDurationMs: 500 })).toEqual([]);
  });

  it('frames audio independently of the chunk size', () => {
    const segments: Segment[] = [['silence', 330], ['tone', 410], ['silence', 900]];
    expect(run(segments, undefined, 7)).toEqual(run(segments, undefined, 100));
  });

  it('measures silence as minus infinity and a quarter-scale tone near -15 dBFS', () => {
    expect(rmsDbfs(decodeMulaw(silenceMulaw(20)))).toBe(Number.NEGATIVE_INFINITY);
    expect(rmsDbfs(decodeMulaw(toneMulaw(100)))).toBeCloseTo(-15, 0);
  });
});
