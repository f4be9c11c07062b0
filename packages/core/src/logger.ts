/** Structured fields attached to a log record. Never put secrets here: adapters redact, but do not rely on it. */
export type LogFields = Record<string, unknown>;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The logging port. The app binds it to pino; tests bind it to a recorder. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export interface LogRecord {
  level: LogLevel;
  message: string;
  fields: LogFields;
}

/** Keeps every record in memory, in order. Used by tests and by the characterization recorder. */
export class MemoryLogger implements Logger {
  readonly records: LogRecord[] = [];

  debug(message: string, fields: LogFields = {}): void {
    this.records.push({ level: 'debug', message, fields });
  }
  info(message: string, fields: LogFields = {}): void {
    this.records.push({ level: 'info', message, fields });
  }
  warn(message: string, fields: LogFields = {}): void {
    this.records.push({ level: 'warn', message, fields });
  }
  error(message: string, fields: LogFields = {}): void {
    this.records.push({ level: 'error', message, fields });
  }

  at(level: LogLevel): LogRecord[] {
    return this.records.filter((r) => r.level === level);
  }
}

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
