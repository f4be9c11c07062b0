import type { LogFields, Logger } from '@perps-bot/core';
import { pino, destination, type DestinationStream, type Logger as PinoLogger } from 'pino';
import PinoPretty from 'pino-pretty';

/** Field paths pino blanks out wherever they appear: a secret must never reach a log line. */
const REDACTED_PATHS = [
  'apiKey',
  'apiKeyName',
  'apiSecret',
  'apiPrivateKey',
  'privateKey',
  'secret',
  'jwt',
  'token',
  'authorization',
  'credentials',
  '*.apiKey',
  '*.apiKeyName',
  '*.apiSecret',
  '*.apiPrivateKey',
  '*.privateKey',
  '*.secret',
  '*.jwt',
  '*.token',
  '*.authorization',
  '*.credentials',
  'headers.authorization',
];

interface AppLoggerOptions {
  readonly level?: string;
  /** Human-readable lines (pino-pretty) instead of JSON; the default when stderr is a terminal. */
  readonly pretty?: boolean;
  readonly destination?: NodeJS.WritableStream;
}

/**
 * pino to stderr (stdout is for the bot's own report), written synchronously in both forms: a log line that
 * says why the bot stopped must be out before the process exits, and no worker thread outlives shutdown.
 */
export function createPinoLogger(options: AppLoggerOptions = {}): PinoLogger {
  const pretty = options.pretty ?? Boolean(process.stderr.isTTY);
  const base = { level: options.level ?? 'info', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  if (options.destination) return pino(base, options.destination as DestinationStream);
  if (pretty) {
    return pino(
      base,
      PinoPretty({
        destination: 2,
        sync: true,
        colorize: !process.env.NO_COLOR,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname',
        singleLine: true,
      }),
    );
  }
  return pino(base, destination({ dest: 2, sync: true }));
}

/** Keys pino writes on every line itself: a field of the same name would make a second key in the JSON. */
const PINO_KEYS = new Set(['level', 'time', 'pid', 'hostname', 'msg']);

/**
 * A field named like one of pino's own keys (the streaming service's `level`: the order-book level) is
 * written as `field_<name>`, so each line has one `level` key and a parser reads the log level, not 1.
 */
function withoutPinoKeys(fields: LogFields): LogFields {
  if (!Object.keys(fields).some((key) => PINO_KEYS.has(key))) return fields;
  return Object.fromEntries(
    Object.entries(fields).map(([key, value]) => [PINO_KEYS.has(key) ? `field_${key}` : key, value]),
  );
}

/** Adapts pino to the core Logger port. */
export function toLoggerPort(log: PinoLogger): Logger {
  const write = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, fields?: LogFields) => {
    if (fields && Object.keys(fields).length > 0) log[level](withoutPinoKeys(fields), message);
    else log[level](message);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
