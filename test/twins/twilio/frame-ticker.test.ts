import { describe, expect, it } from 'vitest';
import { createFrameTicker } from '../../../src/twins/twilio/frame-ticker.ts';
import { ManualClock } from './support/manual-clock.ts';

describe('createFrameTicker', () => {
  it('runs many staggered tasks on one timer, each at its own due time', () => {
    const clock = new ManualClock();
    const ticker = createFrameTicker(clock);
    const runs: [string, number][] = [];
    const every20 = (name: string) => ({
      run(nowMs: number) {
        runs.push([name, nowMs]);
        return nowMs + 20;
      },
    });
    ticker.schedule(every20('a'), 1000);
    ticker.schedule(every20('b'), 1005);
    expect(clock.pendingTimers()).toBe(1);
    clock.advance(30);
    expect(runs).toEqual([
      ['a', 1000],
      ['b', 1005],
      ['a', 1020],
      ['b', 1025],
    ]);
    expect(clock.pendingTimers()).toBe(1);
    ticker.close();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('lets a task leave by returning undefined and stops its timer when none is left', () => {
    const clock = new ManualClock();
    const ticker = createFrameTicker(clock);
    let count = 0;
    ticker.schedule({ run: () => (++count < 3 ? clock.monotonicMs() + 10 : undefined) }, 1000);
    clock.advance(100);
    expect(count).toBe(3);
    expect(ticker.size()).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('re-arms earlier when a task is rescheduled sooner', () => {
    const clock = new ManualClock();
    const ticker = createFrameTicker(clock);
    const runs: number[] = [];
    const task = { run: (nowMs: number) => (runs.push(nowMs), undefined) };
    ticker.schedule(task, 1100);
    ticker.schedule(task, 1010);
    clock.advance(200);
    expect(runs).toEqual([1010]);
  });
});
