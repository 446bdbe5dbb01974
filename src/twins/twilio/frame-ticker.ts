// One timer for every caller twin in a process: each task says when it is next due and the ticker wakes at the
// earliest due time. It never sends anything itself; 200 callers cost one timer, not 200 intervals.
import type { Clock, TimerHandle } from '../../shared/clock.ts';

export type TickTask = {
  /** Runs at or after its due time; returns the next due time (monotonic ms), or undefined to leave the ticker. */
  run(nowMs: number): number | undefined;
};

export type FrameTicker = {
  /** Adds or re-times a task. */
  schedule(task: TickTask, dueMs: number): void;
  remove(task: TickTask): void;
  size(): number;
  close(): void;
};

/** Tasks due within this many ms of a wake-up run in the same pass, so staggered callers share wake-ups. */
const COALESCE_MS = 1;

export function createFrameTicker(clock: Clock): FrameTicker {
  const tasks = new Map<TickTask, number>();
  let timer: TimerHandle | undefined;
  let timerDueMs = Number.POSITIVE_INFINITY;
  let isRunning = false;
  let isClosed = false;

  function arm(): void {
    if (isRunning || isClosed) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const due of tasks.values()) if (due < earliest) earliest = due;
    if (earliest === timerDueMs && timer) return;
    timer?.cancel();
    timer = undefined;
    timerDueMs = earliest;
    if (earliest === Number.POSITIVE_INFINITY) return;
    const delayMs = Math.max(0, Math.ceil(earliest - clock.monotonicMs()));
    timer = clock.setTimeout(wake, delayMs);
  }

  function wake(): void {
    timer = undefined;
    timerDueMs = Number.POSITIVE_INFINITY;
    isRunning = true;
    try {
      const nowMs = clock.monotonicMs();
      for (const [task, due] of tasks) {
        if (due > nowMs + COALESCE_MS) continue;
        const next = task.run(nowMs);
        if (next === undefined) tasks.delete(task);
        else tasks.set(task, next);
      }
    } finally {
      isRunning = false;
      arm();
    }
  }

  return {
    schedule(task, dueMs) {
      tasks.set(task, dueMs);
      if (dueMs < timerDueMs) arm();
    },
    remove(task) {
      tasks.delete(task);
    },
    size: () => tasks.size,
    close() {
      isClosed = true;
      tasks.clear();
      timer?.cancel();
      timer = undefined;
    },
  };
}
