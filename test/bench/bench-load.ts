// One load run against one target: N caller twins at real-time pace, staggered, each speaking marked audio for S
// seconds; the target's RSS, CPU and event-loop delay over the window where every call is live. Never prints.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { TwilioTwin, TwinCallOptions } from '../../src/twins/twilio/twilio-twin.ts';
import type { TwilioCaller } from '../../src/twins/twilio/twilio-caller.ts';
import { MULAW_BYTES_PER_MS } from '../../src/shared/mulaw.ts';
import { FRAME_BYTES, FRAME_MS, markArrivals, markedSpeech, voicedTone } from './frame-markers.ts';
import { sampleMachine, scrapeMetrics, type ChildService, type ProcessSample } from './bench-processes.ts';

export type LoadPlan = {
  calls: number;
  seconds: number;
  /** Between two call starts. */
  staggerMs: number;
  /** After the last marked frame: the VAD's 500 ms of silence ends the echo, then playout drains. */
  tailMs: number;
};

/** What one call sent and heard, keyed by frame marker (see frame-markers.ts). */
export type CallRecord = {
  index: number;
  /** Monotonic send time of marked frame `seq`, in order. */
  sentAtMs: number[];
  /** Marker key → monotonic arrival time of the media message that carried it back. */
  arrivals: Map<number, number>;
  /** Why the call did not run as planned, if it did not. */
  problem: string | null;
};

export type SteadyWindow = {
  durationMs: number;
  baseline: ProcessSample;
  start: ProcessSample;
  end: ProcessSample;
  maxRssBytes: number;
  /** Null when the target serves no /metrics. */
  eventLoop: { p50Ms: number; p99Ms: number; maxMs: number; samples: number } | null;
  /** The bench process itself (caller and Realtime twins): when it is saturated, every figure measures it. */
  harness: { cpuPercentOfCore: number; eventLoopP99Ms: number; eventLoopMaxMs: number };
  /** Every process on the machine, in % of one core (200 % = both cores of a 2-core machine busy). */
  machineBusyPercentOfCore: number;
};

export type LoadResult = { calls: CallRecord[]; steady: SteadyWindow | null };

const RSS_SAMPLE_INTERVAL_MS = 250;
const HARNESS_LOOP_RESOLUTION_MS = 10;
const WARMUP_CALLS = 4;
const WARMUP_CALL_FRAMES = 100;

export async function runLoad(options: {
  plan: LoadPlan;
  twilio: TwilioTwin;
  callOptions: TwinCallOptions;
  target: ChildService;
  metricsUrl: string;
}): Promise<LoadResult> {
  const { plan, twilio, target, metricsUrl } = options;
  const frames = Math.round((plan.seconds * 1000) / FRAME_MS);
  const tone = voicedTone(frames);
  await warmUp(twilio, options.callOptions, plan.calls);
  const baseline = target.sample();
  let settled = 0;
  let onAllLive: () => void = () => {};
  let onFirstDone: () => void = () => {};
  const allLive = new Promise<void>((resolve) => (onAllLive = resolve));
  const firstDone = new Promise<void>((resolve) => (onFirstDone = resolve));
  // The window opens once every call is live or has failed, and closes when the first live call stops speaking.
  const settle = () => {
    if (++settled === plan.calls) onAllLive();
  };

  async function runCall(index: number): Promise<CallRecord> {
    const record: CallRecord = { index, sentAtMs: [], arrivals: new Map(), problem: null };
    let caller: TwilioCaller | undefined;
    let isSettled = false;
    try {
      await sleep(index * plan.staggerMs);
      caller = await twilio.placeCall(options.callOptions);
      if (!caller.streamSid()) throw new Error(`no media stream (${caller.outcome()?.reason ?? 'still ringing'})`);
      // The source is silent until now, so the marked audio starts on a frame boundary at this frame index.
      const firstFrame = caller.timings().framesSentAtMs.length;
      const spoken = caller.say(markedSpeech(index, tone));
      isSettled = true;
      settle();
      await spoken;
      onFirstDone();
      await sleep(plan.tailMs);
      await caller.hangUp();
      const timings = caller.timings();
      for (let seq = 0; seq < frames; seq++) {
        const at = timings.framesSentAtMs[firstFrame + seq];
        if (at === undefined || timings.frameBytes[firstFrame + seq] !== FRAME_BYTES) throw new Error(`frame ${seq} was not sent as marked`);
        record.sentAtMs.push(at);
      }
      const arrivals = timings.mediaReceivedAtMs.map((atMs, i) => ({ atMs, bytes: timings.mediaReceivedBytes[i] ?? 0 }));
      const heard = Buffer.concat(caller.heardSegments().map((segment) => segment.audio ?? Buffer.alloc(0)));
      const droppedBytes = caller.streamEnds().reduce((total, end) => total + end.droppedMs * MULAW_BYTES_PER_MS, 0);
      record.arrivals = markArrivals(arrivals, heard, droppedBytes);
    } catch (error) {
      record.problem = error instanceof Error ? error.message : String(error);
      if (!isSettled) settle();
      caller?.dispose();
    }
    return record;
  }

  const runs = Promise.all(Array.from({ length: plan.calls }, (_, index) => runCall(index)));
  // When no call lives to the end of its speech, the window closes with the last call.
  void runs.then(() => onFirstDone());
  const steady = await measureSteadyWindow(target, metricsUrl, baseline, allLive, firstDone);
  return { calls: await runs, steady };
}

/**
 * A few short calls before the baseline, so lazy modules, JIT and first-use allocations are not charged to the
 * measured calls. Their frames carry call numbers above the measured ones and are never matched.
 */
async function warmUp(twilio: TwilioTwin, callOptions: TwinCallOptions, firstIndex: number): Promise<void> {
  const tone = voicedTone(WARMUP_CALL_FRAMES);
  await Promise.all(
    Array.from({ length: WARMUP_CALLS }, async (_, i) => {
      const caller = await twilio.placeCall(callOptions);
      try {
        await caller.say(markedSpeech(firstIndex + i, tone));
        await sleep(1000);
      } finally {
        await caller.hangUp();
      }
    }),
  );
  await sleep(1000);
}

/** From the moment every call is live to the moment the first one stops speaking. */
async function measureSteadyWindow(
  target: ChildService,
  metricsUrl: string,
  baseline: ProcessSample,
  allLive: Promise<void>,
  firstDone: Promise<void>,
): Promise<SteadyWindow | null> {
  await allLive;
  await scrapeMetrics(metricsUrl);
  const start = target.sample();
  const harnessCpu = process.cpuUsage();
  const machineStart = sampleMachine();
  const harnessLoop = monitorEventLoopDelay({ resolution: HARNESS_LOOP_RESOLUTION_MS });
  harnessLoop.enable();
  let maxRssBytes = start.rssBytes;
  let isOver = false;
  void firstDone.then(() => (isOver = true));
  while (!isOver) {
    await Promise.race([sleep(RSS_SAMPLE_INTERVAL_MS), firstDone]);
    maxRssBytes = Math.max(maxRssBytes, target.sample().rssBytes);
  }
  const metrics = await scrapeMetrics(metricsUrl);
  const end = target.sample();
  harnessLoop.disable();
  const harnessCpuUsed = process.cpuUsage(harnessCpu);
  const machineEnd = sampleMachine();
  maxRssBytes = Math.max(maxRssBytes, end.rssBytes);
  if (end.atMs - start.atMs < 1000) return null;
  const harnessDelayMs = (ns: number) => Math.max(0, ns / 1e6 - HARNESS_LOOP_RESOLUTION_MS);
  return {
    durationMs: end.atMs - start.atMs,
    baseline,
    start,
    end,
    maxRssBytes,
    eventLoop: metrics && {
      p50Ms: metrics.get('bridge_event_loop_delay_ms{quantile="0.5"}') ?? Number.NaN,
      p99Ms: metrics.get('bridge_event_loop_delay_ms{quantile="0.99"}') ?? Number.NaN,
      maxMs: metrics.get('bridge_event_loop_delay_max_ms') ?? Number.NaN,
      samples: metrics.get('bridge_event_loop_samples') ?? 0,
    },
    harness: {
      cpuPercentOfCore: (100 * (harnessCpuUsed.user + harnessCpuUsed.system)) / 1000 / (end.atMs - start.atMs),
      eventLoopP99Ms: harnessDelayMs(harnessLoop.percentile(99)),
      eventLoopMaxMs: harnessDelayMs(harnessLoop.max),
    },
    machineBusyPercentOfCore: (100 * (machineEnd.busySeconds - machineStart.busySeconds)) / ((end.atMs - start.atMs) / 1000),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
