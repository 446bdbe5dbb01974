// The one way to build a logger: pino JSON with redaction paths for secrets and personal data.
import { pino, type Logger, type DestinationStream, type LevelWithSilent } from 'pino';

export type { Logger };

export const REDACTED_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  'headers["x-twilio-signature"]',
  'token',
  '*.token',
  'apiKey',
  '*.apiKey',
  'authToken',
  '*.authToken',
  'password',
  '*.password',
  'email',
  '*.email',
  'phone',
  '*.phone',
  'address',
  '*.address',
  'payload',
  '*.payload',
  'audio',
  '*.audio',
];

export function createLogger(options: { level: LevelWithSilent; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: undefined,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}
