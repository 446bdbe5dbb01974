// Turns raw load data into the benchmark's figures, and figures into a table or one JSON object. Pure.
import { markerKey, percentile } from './frame-markers.ts';
import type { LoadResult } from './bench-load.ts';

export type Quantiles = { p50: number; p99: number; max: number };

export type TargetFigures = {
  target: 'bridge' | 'relay';
  rounds: number;
  calls: { planned: number; completed: number; problems: string[] };
  /** Marked frames after each call's warm-up, and how many were matched at the twin and back at the caller. */
  frames: { measured: number; matchedAtModel: number; matchedAtCaller: number };
  latencyMs: { callerToModel: Quantiles; modelToCaller: Quantiles };
  eventLoopDelayMs: Quantiles | null;
  rssPerCallBytes: number | null;
  /** Share of a core per call over the window; `systemShare` of it was spent in the kernel (sockets). */
  cpuPerCall: { percentOfCore: number; cpuMsPerCallSecond: number; systemShare: number } | null;
  steadyWindowSeconds: number | null;
  /** The first round's RSS: after warm-up, at the window's start, and its peak. */
  rssMb: { baseline: number; windowStart: number; windowMax: number } | null;
  /** The bench process over the same window; near 100 % of a core, the figures measure the harness. */
  harness: { cpuPercentOfCore: number; eventLoopP99Ms: number; eventLoopMaxMs: number } | null;
  /** CPU of everything else on the machine (other users' work) over the window, in % of one core. */
  otherProcessesPercentOfCore: number | null;
  /** What the child printed at LOG_LEVEL=warn (its warnings and errors), by event. */
  childLog: { lines: number; events: Record<string, number> };
};

export const TARGETS = {
  p99AddedLatencyMs: 2,
  eventLoopDelayP99Ms: 20,
  rssPerCallBytes: 2 * 1024 * 1024,
} as const;

export type RoundData = {
  load: LoadResult;
  echoSends: ReadonlyMap<number, number>;
  childLog: { lines: number; events: ReadonlyMap<string, number> };
};

/** Frames of every round are pooled; window figures (event loop, RSS, CPU) are the median over rounds. */
export function computeFigures(target: 'bridge' | 'relay', rounds: readonly RoundData[], warmupFrames: number): TargetFigures {
  const up: number[] = [];
  const down: number[] = [];
  let measured = 0;
  let planned = 0;
  const problems: string[] = [];
  const events = new Map<string, number>();
  let logLines = 0;
  for (const [round, { load, echoSends, childLog }] of rounds.entries()) {
    planned += load.calls.length;
    logLines += childLog.lines;
    for (const [event, count] of childLog.events) events.set(event, (events.get(event) ?? 0) + count);
    for (const call of load.calls) {
      if (call.problem) {
        problems.push(`round ${round + 1} call ${call.index}: ${call.problem}`);
        continue;
      }
      for (let seq = warmupFrames; seq < call.sentAtMs.length; seq++) {
        measured++;
        const key = markerKey({ call: call.index, seq });
        const sentAtMs = call.sentAtMs[seq];
        const atModelMs = echoSends.get(key);
        const backAtMs = call.arrivals.get(key);
        if (sentAtMs === undefined || atModelMs === undefined) continue;
        up.push(atModelMs - sentAtMs);
        if (backAtMs !== undefined) down.push(backAtMs - atModelMs);
      }
    }
  }
  const windows = rounds.flatMap(({ load }) => (load.steady ? [{ steady: load.steady, calls: load.calls.length }] : []));
  const perWindow = windows.map(({ steady, calls }) => {
    const seconds = steady.durationMs / 1000;
    const cpuSeconds = steady.end.cpuSeconds - steady.start.cpuSeconds;
    return {
      seconds,
      eventLoop: steady.eventLoop,
      rssPerCallBytes: (steady.maxRssBytes - steady.baseline.rssBytes) / calls,
      percentOfCore: (100 * cpuSeconds) / seconds / calls,
      systemShare: cpuSeconds > 0 ? (steady.end.systemCpuSeconds - steady.start.systemCpuSeconds) / cpuSeconds : 0,
      rssMb: { baseline: megabytes(steady.baseline.rssBytes), windowStart: megabytes(steady.start.rssBytes), windowMax: megabytes(steady.maxRssBytes) },
      harness: steady.harness,
      others: steady.machineBusyPercentOfCore - steady.harness.cpuPercentOfCore - (100 * cpuSeconds) / seconds,
    };
  });
  const loops = perWindow.flatMap((window) => (window.eventLoop ? [window.eventLoop] : []));
  const hasWindows = perWindow.length > 0;
  const medianOf = (pick: (window: (typeof perWindow)[number]) => number) => median(perWindow.map(pick));
  const percentOfCore = medianOf((window) => window.percentOfCore);
  return {
    target,
    rounds: rounds.length,
    calls: { planned, completed: planned - problems.length, problems: problems.slice(0, 5) },
    frames: { measured, matchedAtModel: up.length, matchedAtCaller: down.length },
    latencyMs: { callerToModel: quantiles(up), modelToCaller: quantiles(down) },
    eventLoopDelayMs:
      loops.length > 0 ? { p50: median(loops.map((loop) => loop.p50Ms)), p99: median(loops.map((loop) => loop.p99Ms)), max: Math.max(...loops.map((loop) => loop.maxMs)) } : null,
    rssPerCallBytes: hasWindows ? medianOf((window) => window.rssPerCallBytes) : null,
    cpuPerCall: hasWindows ? { percentOfCore, cpuMsPerCallSecond: percentOfCore * 10, systemShare: medianOf((window) => window.systemShare) } : null,
    steadyWindowSeconds: hasWindows ? medianOf((window) => window.seconds) : null,
    rssMb: perWindow[0]?.rssMb ?? null,
    harness: hasWindows
      ? {
          cpuPercentOfCore: medianOf((window) => window.harness.cpuPercentOfCore),
          eventLoopP99Ms: medianOf((window) => window.harness.eventLoopP99Ms),
          eventLoopMaxMs: Math.max(...perWindow.map((window) => window.harness.eventLoopMaxMs)),
        }
      : null,
    otherProcessesPercentOfCore: hasWindows ? medianOf((window) => window.others) : null,
    childLog: { lines: logLines, events: Object.fromEntries(events) },
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** One row per measured frame, times relative to the first frame sent, for looking at when latency spikes happen. */
export function framesCsv(load: LoadResult, echoSends: ReadonlyMap<number, number>, warmupFrames: number): string {
  const origin = Math.min(...load.calls.map((call) => call.sentAtMs[0] ?? Number.POSITIVE_INFINITY));
  const rows = ['sent_at_ms,call,seq,caller_to_model_ms,model_to_caller_ms'];
  for (const call of load.calls) {
    for (let seq = warmupFrames; seq < call.sentAtMs.length; seq++) {
      const sentAtMs = call.sentAtMs[seq] ?? Number.NaN;
      const key = markerKey({ call: call.index, seq });
      const atModelMs = echoSends.get(key);
      const backAtMs = call.arrivals.get(key);
      const up = atModelMs === undefined ? '' : (atModelMs - sentAtMs).toFixed(3);
      const down = atModelMs === undefined || backAtMs === undefined ? '' : (backAtMs - atModelMs).toFixed(3);
      rows.push(`${(sentAtMs - origin).toFixed(1)},${call.index},${seq},${up},${down}`);
    }
  }
  return `${rows.join('\n')}\n`;
}

function megabytes(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

function quantiles(values: readonly number[]): Quantiles {
  return { p50: percentile(values, 0.5), p99: percentile(values, 0.99), max: values.length === 0 ? Number.NaN : values.reduce((max, value) => Math.max(max, value)) };
}

export type BenchReport = {
  command: { calls: number; seconds: number; rounds: number; staggerMs: number; warmupMs: number };
  machine: { cpus: number; loadAverage1m: number; node: string };
  bridge: TargetFigures;
  relay: TargetFigures;
  /** bridge ÷ relay: the headline. */
  ratio: {
    callerToModelP99: number;
    modelToCallerP99: number;
    eventLoopDelayP99: number | null;
    rssPerCall: number | null;
    cpuPerCall: number | null;
  };
  /** bridge p99 − relay p99: what our code adds over the thinnest relay. */
  bridgeOverRelayP99Ms: { callerToModel: number; modelToCaller: number };
  targets: typeof TARGETS;
  verdicts: { latencyCallerToModel: boolean; latencyModelToCaller: boolean; eventLoopDelay: boolean | null; rssPerCall: boolean | null };
};

export function buildReport(input: Omit<BenchReport, 'ratio' | 'bridgeOverRelayP99Ms' | 'targets' | 'verdicts'>): BenchReport {
  const { bridge, relay } = input;
  const ratio = (a: number | null | undefined, b: number | null | undefined) => (a === null || a === undefined || b === null || b === undefined ? null : a / b);
  return {
    ...input,
    ratio: {
      callerToModelP99: bridge.latencyMs.callerToModel.p99 / relay.latencyMs.callerToModel.p99,
      modelToCallerP99: bridge.latencyMs.modelToCaller.p99 / relay.latencyMs.modelToCaller.p99,
      // Delays near zero make a ratio meaningless; a floor of one sampling step keeps it readable.
      eventLoopDelayP99: ratio(atLeast(bridge.eventLoopDelayMs?.p99, 1), atLeast(relay.eventLoopDelayMs?.p99, 1)),
      rssPerCall: (bridge.rssPerCallBytes ?? 0) > 0 && (relay.rssPerCallBytes ?? 0) > 0 ? ratio(bridge.rssPerCallBytes, relay.rssPerCallBytes) : null,
      cpuPerCall: ratio(bridge.cpuPerCall?.percentOfCore, relay.cpuPerCall?.percentOfCore),
    },
    bridgeOverRelayP99Ms: {
      callerToModel: bridge.latencyMs.callerToModel.p99 - relay.latencyMs.callerToModel.p99,
      modelToCaller: bridge.latencyMs.modelToCaller.p99 - relay.latencyMs.modelToCaller.p99,
    },
    targets: TARGETS,
    verdicts: {
      latencyCallerToModel: bridge.latencyMs.callerToModel.p99 <= TARGETS.p99AddedLatencyMs,
      latencyModelToCaller: bridge.latencyMs.modelToCaller.p99 <= TARGETS.p99AddedLatencyMs,
      eventLoopDelay: bridge.eventLoopDelayMs ? bridge.eventLoopDelayMs.p99 <= TARGETS.eventLoopDelayP99Ms : null,
      rssPerCall: bridge.rssPerCallBytes === null ? null : bridge.rssPerCallBytes <= TARGETS.rssPerCallBytes,
    },
  };
}

function atLeast(value: number | undefined, floor: number): number | null {
  return value === undefined ? null : Math.max(value, floor);
}

export function formatTable(report: BenchReport): string {
  const { bridge, relay, ratio, verdicts } = report;
  const ms = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? 'n/a' : `${value.toFixed(2)} ms`);
  // With few calls the heap shrinking after warm-up can outweigh what the calls hold.
  const mb = (value: number | null) => (value === null ? 'n/a' : value < 0 ? '< 0 (GC noise)' : `${(value / 1024 / 1024).toFixed(2)} MB`);
  const pct = (value: number | undefined) => (value === undefined ? 'n/a' : `${value.toFixed(2)} %`);
  const times = (value: number | null) => (value === null || !Number.isFinite(value) ? 'n/a' : `${value.toFixed(2)}×`);
  const verdict = (value: boolean | null) => (value === null ? 'n/a' : value ? 'PASS' : 'FAIL');
  const rows: string[][] = [
    ['figure', 'bridge', 'relay', 'bridge/relay', 'target', 'bridge'],
    ['caller→model p50', ms(bridge.latencyMs.callerToModel.p50), ms(relay.latencyMs.callerToModel.p50), times(bridge.latencyMs.callerToModel.p50 / relay.latencyMs.callerToModel.p50), '', ''],
    ['caller→model p99', ms(bridge.latencyMs.callerToModel.p99), ms(relay.latencyMs.callerToModel.p99), times(ratio.callerToModelP99), '≤ 2 ms', verdict(verdicts.latencyCallerToModel)],
    ['model→caller p50', ms(bridge.latencyMs.modelToCaller.p50), ms(relay.latencyMs.modelToCaller.p50), times(bridge.latencyMs.modelToCaller.p50 / relay.latencyMs.modelToCaller.p50), '', ''],
    ['model→caller p99', ms(bridge.latencyMs.modelToCaller.p99), ms(relay.latencyMs.modelToCaller.p99), times(ratio.modelToCallerP99), '≤ 2 ms', verdict(verdicts.latencyModelToCaller)],
    ['event-loop delay p50', ms(bridge.eventLoopDelayMs?.p50), ms(relay.eventLoopDelayMs?.p50), '', '', ''],
    ['event-loop delay p99', ms(bridge.eventLoopDelayMs?.p99), ms(relay.eventLoopDelayMs?.p99), times(ratio.eventLoopDelayP99), '≤ 20 ms', verdict(verdicts.eventLoopDelay)],
    ['event-loop delay max', ms(bridge.eventLoopDelayMs?.max), ms(relay.eventLoopDelayMs?.max), '', '', ''],
    ['RSS per call', mb(bridge.rssPerCallBytes), mb(relay.rssPerCallBytes), times(ratio.rssPerCall), '≤ 2 MB', verdict(verdicts.rssPerCall)],
    ['CPU per call (% of a core)', pct(bridge.cpuPerCall?.percentOfCore), pct(relay.cpuPerCall?.percentOfCore), times(ratio.cpuPerCall), '', ''],
    ['  of which kernel', share(bridge.cpuPerCall?.systemShare), share(relay.cpuPerCall?.systemShare), '', '', ''],
    ['calls completed', `${bridge.calls.completed}/${bridge.calls.planned}`, `${relay.calls.completed}/${relay.calls.planned}`, '', '', ''],
    ['frames matched (model / caller)', matched(bridge), matched(relay), '', '', ''],
    ['steady window', seconds(bridge.steadyWindowSeconds), seconds(relay.steadyWindowSeconds), '', '', ''],
    ['RSS baseline → max (MB)', rssRange(bridge), rssRange(relay), '', '', ''],
    ['harness CPU (% core) · loop p99', harness(bridge), harness(relay), '', '', ''],
    ['other processes (% core)', pct(bridge.otherProcessesPercentOfCore ?? undefined), pct(relay.otherProcessesPercentOfCore ?? undefined), '', '', ''],
    ['child log lines (warn+)', String(bridge.childLog.lines), String(relay.childLog.lines), '', '', ''],
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  const line = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  const { command, machine } = report;
  const header = [
    `bench:bridge — ${command.calls} concurrent calls × ${command.seconds} s, started ${command.staggerMs} ms apart, ${command.rounds} round(s) per target alternating; the first ${command.warmupMs} ms of each call not measured`,
    `machine: ${machine.cpus} CPUs, load average ${machine.loadAverage1m.toFixed(2)} at start, node ${machine.node}`,
    '',
  ];
  const problems = [...bridge.calls.problems.map((problem) => `bridge ${problem}`), ...relay.calls.problems.map((problem) => `relay ${problem}`)];
  if (bridge.steadyWindowSeconds !== null && !bridge.eventLoopDelayMs) problems.push('bridge: GET /metrics answered 404, so no event-loop figures (is registerMetricsEndpoint in src/app.ts?)');
  for (const figures of [bridge, relay]) {
    const events = Object.entries(figures.childLog.events).sort((a, b) => b[1] - a[1]);
    if (events.length > 0) problems.push(`${figures.target} logged: ${events.slice(0, 6).map(([event, count]) => `${event} ×${count}`).join(', ')}`);
  }
  return [...header, line(rows[0] ?? []), ...rows.slice(1).map(line), ...(problems.length ? ['', 'problems:', ...problems] : [])].join('\n');
}

function share(value: number | undefined): string {
  return value === undefined ? 'n/a' : `${(100 * value).toFixed(0)} %`;
}

function rssRange(figures: TargetFigures): string {
  return figures.rssMb ? `${figures.rssMb.baseline} → ${figures.rssMb.windowMax}` : 'n/a';
}

function harness(figures: TargetFigures): string {
  return figures.harness ? `${figures.harness.cpuPercentOfCore.toFixed(0)} % · ${figures.harness.eventLoopP99Ms.toFixed(1)} ms` : 'n/a';
}

function matched(figures: TargetFigures): string {
  const { measured, matchedAtModel, matchedAtCaller } = figures.frames;
  return `${matchedAtModel}/${measured} · ${matchedAtCaller}/${measured}`;
}

function seconds(value: number | null): string {
  return value === null ? 'n/a' : `${value.toFixed(1)} s`;
}
