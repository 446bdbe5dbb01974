// The processes the benchmark measures: spawn a child on loopback, wait until it serves, read its RSS and CPU from
// /proc, scrape its metrics, and stop it by pid. Never signals a process it did not start.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** Node 24 from the project (the system node is older); the running one when the project's is missing. */
export const NODE_BIN = existsSync(resolve(REPO_ROOT, 'node_modules/.bin/node')) ? resolve(REPO_ROOT, 'node_modules/.bin/node') : process.execPath;

/** Linux reports utime/stime in clock ticks; 100 per second on every mainstream kernel config. */
const CLOCK_TICKS_PER_SECOND = 100;
const OUTPUT_TAIL_LINES = 30;

export type ProcessSample = { rssBytes: number; cpuSeconds: number; systemCpuSeconds: number; atMs: number };

export class ChildService {
  readonly name: string;
  readonly #child: ChildProcess;
  readonly #tail: string[] = [];
  readonly #lineListeners = new Set<(line: string) => void>();
  readonly #events = new Map<string, number>();
  #outputLines = 0;
  #exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  readonly #exited: Promise<void>;

  readonly logPath: string | null;

  private constructor(name: string, child: ChildProcess, logPath: string | null) {
    this.name = name;
    this.logPath = logPath;
    this.#child = child;
    this.#exited = new Promise((resolveExit) => {
      child.once('exit', (code, signal) => {
        this.#exit = { code, signal };
        resolveExit();
      });
    });
  }

  /** Starts `node <args>` in the repository with exactly `env` (plus PATH and HOME); every line it prints goes to `logPath`. */
  static start(name: string, args: readonly string[], env: Readonly<Record<string, string>>, logPath: string | null): ChildService {
    const child = spawn(NODE_BIN, [...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const service = new ChildService(name, child, logPath);
    for (const stream of [child.stdout, child.stderr]) {
      let partial = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) service.#keep(line);
      });
    }
    return service;
  }

  get pid(): number {
    const pid = this.#child.pid;
    if (pid === undefined) throw new Error(`${this.name} did not start`);
    return pid;
  }

  get hasExited(): boolean {
    return this.#exit !== null;
  }

  /** Lines the child printed (pino JSON at LOG_LEVEL=warn: its warnings and errors). */
  get outputLines(): number {
    return this.#outputLines;
  }

  /** How often each log event (pino `msg`) was printed; lines that are not pino JSON count as `(text)`. */
  logEvents(): ReadonlyMap<string, number> {
    return this.#events;
  }

  outputTail(): string {
    return this.#tail.join('\n');
  }

  /** Resolves with the first printed line that `match` accepts; fails if the child exits or time runs out. */
  waitForLine<T>(match: (line: string) => T | undefined, timeoutMs: number): Promise<T> {
    return new Promise((resolveLine, reject) => {
      const check = (line: string) => {
        const found = match(line);
        if (found === undefined) return;
        cleanup();
        resolveLine(found);
      };
      const onExit = () => {
        cleanup();
        reject(new Error(`${this.name} exited before it was ready:\n${this.outputTail()}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${this.name} was not ready within ${timeoutMs} ms:\n${this.outputTail()}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.#lineListeners.delete(check);
        this.#child.off('exit', onExit);
      };
      this.#lineListeners.add(check);
      this.#child.once('exit', onExit);
      for (const line of this.#tail) check(line);
    });
  }

  /** Polls `url` until it answers 200; fails if the child exits or time runs out. */
  async waitForHttp(url: string, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      if (this.hasExited) throw new Error(`${this.name} exited before it was ready:\n${this.outputTail()}`);
      const isUp = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
        (response) => response.ok,
        () => false,
      );
      if (isUp) return;
      await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    }
    throw new Error(`${this.name} did not answer ${url} within ${timeoutMs} ms:\n${this.outputTail()}`);
  }

  /** RSS and CPU (user + system) of the child right now, from /proc. */
  sample(): ProcessSample {
    const atMs = performance.now();
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const rssKb = Number(/^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1] ?? Number.NaN);
    // The command name in field 2 may hold spaces; fields are counted from the last ')'.
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return { rssBytes: rssKb * 1024, cpuSeconds: (utime + stime) / CLOCK_TICKS_PER_SECOND, systemCpuSeconds: stime / CLOCK_TICKS_PER_SECOND, atMs };
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the child is gone. Safe to call twice. */
  async stop(graceMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (!this.hasExited) {
      this.#child.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (!this.hasExited) this.#child.kill('SIGKILL');
      }, graceMs);
      await this.#exited;
      clearTimeout(timer);
    }
    return this.#exit ?? { code: null, signal: null };
  }

  #keep(line: string): void {
    if (!line) return;
    this.#outputLines++;
    if (this.logPath) appendFileSync(this.logPath, `${line}\n`);
    const event = logEventOf(line);
    this.#events.set(event, (this.#events.get(event) ?? 0) + 1);
    this.#tail.push(line);
    if (this.#tail.length > OUTPUT_TAIL_LINES) this.#tail.shift();
    for (const listener of this.#lineListeners) listener(line);
  }
}

/** The event name, with the first of its `why`, `code`, `reason` or `streamError` fields when it has one. */
export type MachineSample = { busySeconds: number; totalSeconds: number };

/** CPU time of the whole machine so far, all cores together (/proc/stat), to see what else ran during a window. */
export function sampleMachine(): MachineSample {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: idle and iowait are the only non-busy ones.
  const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busySeconds: (total - idle) / CLOCK_TICKS_PER_SECOND, totalSeconds: total / CLOCK_TICKS_PER_SECOND };
}

function logEventOf(line: string): string {
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed === 'object' && parsed !== null && 'msg' in parsed && typeof parsed.msg === 'string') {
      const detail = ['why', 'code', 'reason', 'streamError'].map((field) => Reflect.get(parsed, field)).find((value) => typeof value === 'string' || typeof value === 'number');
      return detail === undefined ? parsed.msg : `${parsed.msg} (${String(detail)})`;
    }
  } catch {
    // Not JSON: a crash trace or a stray print.
  }
  return '(text)';
}

/** Reads a Prometheus text page into `name{labels}` → value; null when the service has no such page (404). */
export async function scrapeMetrics(url: string): Promise<Map<string, number> | null> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  const values = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    values.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return values;
}
