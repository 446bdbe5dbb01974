// A logger that keeps every line in memory, so tests can assert on events and fail on unexpected warnings.
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/shared/logger.ts';

export type LogLine = { level: number; msg?: string; [key: string]: unknown };

export type CapturedLog = {
  log: Logger;
  lines: LogLine[];
  /** Lines at warn (40) or above, except those whose event name is listed. */
  problems(allowed?: readonly string[]): LogLine[];
  events(name: string): LogLine[];
  text(): string;
};

export function captureLog(level: 'debug' | 'info' = 'debug'): CapturedLog {
  const lines: LogLine[] = [];
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        raw.push(line);
        lines.push(JSON.parse(line) as LogLine);
      }
      callback();
    },
  });
  const log = createLogger({ level, destination });
  return {
    log,
    lines,
    problems: (allowed = []) => lines.filter((line) => line.level >= 40 && !allowed.includes(String(line.msg))),
    events: (name) => lines.filter((line) => line.msg === name),
    text: () => raw.join('\n'),
  };
}
