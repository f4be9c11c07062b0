import type { LogFields, Logger } from '@perps-bot/core';
import { pino, destination, type DestinationStream, type Logger as PinoLogger } from 'pino';

/** Field paths pino blanks out wherever they appear: a secret must never reach a log line. */
export const REDACTED_PATHS = [
  'apiKey',
  'apiSecret',
  'privateKey',
  'secret',
  'jwt',
  'token',
  'authorization',
  '*.apiKey',
  '*.apiSecret',
  '*.privateKey',
  '*.secret',
  '*.jwt',
  '*.token',
  '*.authorization',
  'headers.authorization',
];

export interface AppLoggerOptions {
  readonly level?: string;
  /** Human-readable lines (pino-pretty) instead of JSON; the default when stderr is a terminal. */
  readonly pretty?: boolean;
  readonly destination?: NodeJS.WritableStream;
}

export function createPinoLogger(options: AppLoggerOptions = {}): PinoLogger {
  const pretty = options.pretty ?? Boolean(process.stderr.isTTY);
  const base = { level: options.level ?? 'info', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  if (pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { destination: 2, colorize: true } } });
  }
  return pino(base, (options.destination as DestinationStream | undefined) ?? destination(2));
}

/** Adapts pino to the core Logger port. */
export function toLoggerPort(log: PinoLogger): Logger {
  const write = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, fields?: LogFields) => {
    if (fields && Object.keys(fields).length > 0) log[level](fields, message);
    else log[level](message);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
