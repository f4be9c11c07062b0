/**
 * Every error the bot raises on purpose carries a stable `code` (for metrics, tests and alerting) and a
 * message a person can act on. Messages name the symbol or setting involved and never contain secrets.
 */
export const ErrorCodes = {
  NO_QUOTE: 'NO_QUOTE',
  BAD_QUOTE: 'BAD_QUOTE',
  BAD_PRICE: 'BAD_PRICE',
  BAD_PRODUCT: 'BAD_PRODUCT',
  CONFIG_INVALID: 'CONFIG_INVALID',
  AUTH_FAILED: 'AUTH_FAILED',
  RATE_LIMITED: 'RATE_LIMITED',
  NOT_FOUND: 'NOT_FOUND',
  VALIDATION: 'VALIDATION',
  EXCHANGE: 'EXCHANGE',
  NETWORK: 'NETWORK',
  TIMEOUT: 'TIMEOUT',
  MALFORMED_RESPONSE: 'MALFORMED_RESPONSE',
  BROKER_FAILURE: 'BROKER_FAILURE',
  BROKER_BOOTSTRAP: 'BROKER_BOOTSTRAP',
  NOT_CONFIGURED: 'NOT_CONFIGURED',
  RISK_REJECTED: 'RISK_REJECTED',
  STREAM: 'STREAM',
  STORE: 'STORE',
  SHADOW_MISMATCH: 'SHADOW_MISMATCH',
  /** A store cannot write (disk full, I/O error, read-only, unusable directory): the bot opens no orders. */
  STORAGE_UNAVAILABLE: 'STORAGE_UNAVAILABLE',
  /** The bot's stop signal cancelled a request or a retry wait: for an order, its outcome is unknown. */
  REQUEST_ABORTED: 'REQUEST_ABORTED',
  ORDER_OUTCOME_UNKNOWN: 'ORDER_OUTCOME_UNKNOWN',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export interface PerpsBotErrorOptions {
  cause?: unknown;
  /** Extra context safe to log (never secrets): symbol, setting, request id, status… */
  details?: Record<string, unknown>;
}

export class PerpsBotError extends Error {
  override readonly name: string = 'PerpsBotError';
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: PerpsBotErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** A broker answered for a symbol with nothing usable as a mark. */
export class QuoteError extends PerpsBotError {
  override readonly name = 'QuoteError';
  readonly symbol: string;

  constructor(code: typeof ErrorCodes.NO_QUOTE | typeof ErrorCodes.BAD_QUOTE, symbol: string, message: string) {
    super(code, message, { details: { symbol } });
    this.symbol = symbol;
  }
}

/** A required collaborator is missing (the reference's "… is not configured in the service registry"). */
export class NotConfiguredError extends PerpsBotError {
  override readonly name = 'NotConfiguredError';

  constructor(what: string, message = `${what} is not configured in the service registry`) {
    super(ErrorCodes.NOT_CONFIGURED, message, { details: { what } });
  }
}

export class ConfigError extends PerpsBotError {
  override readonly name = 'ConfigError';
  readonly setting: string;

  constructor(setting: string, message: string, options: PerpsBotErrorOptions = {}) {
    super(ErrorCodes.CONFIG_INVALID, message, { ...options, details: { setting, ...options.details } });
    this.setting = setting;
  }
}

/**
 * A store cannot write, so the bot cannot keep the books it trades on. `file` is the store's file or
 * directory, `reason` the system's own code (SQLITE_FULL, SQLITE_IOERR_WRITE, SQLITE_READONLY, ENOENT, …).
 */
export class StorageUnavailableError extends PerpsBotError {
  override readonly name = 'StorageUnavailableError';
  readonly file: string;
  readonly reason: string;

  constructor(file: string, reason: string, message: string, options: PerpsBotErrorOptions = {}) {
    super(ErrorCodes.STORAGE_UNAVAILABLE, message, { ...options, details: { file, reason, ...options.details } });
    this.file = file;
    this.reason = reason;
  }
}

/**
 * The bot's stop signal ended a request (or the wait before a retry). Thrown in place of the platform's
 * AbortError so callers can tell it apart by `code`: an order request aborted after it may have been sent
 * (`mayHaveBeenSent`) has an unknown outcome and must be resolved against the exchange, never counted failed.
 */
export class RequestAbortedError extends PerpsBotError {
  override readonly name = 'RequestAbortedError';
  readonly endpoint: string;
  readonly mayHaveBeenSent: boolean;

  constructor(endpoint: string, mayHaveBeenSent: boolean, options: PerpsBotErrorOptions = {}) {
    super(
      ErrorCodes.REQUEST_ABORTED,
      `${endpoint} was aborted by shutdown${mayHaveBeenSent ? ' (it may have reached the exchange: outcome unknown)' : ' before it was sent'}`,
      {
        ...options,
        details: { endpoint, mayHaveBeenSent, ...options.details },
      },
    );
    this.endpoint = endpoint;
    this.mayHaveBeenSent = mayHaveBeenSent;
  }
}

/**
 * An order request was sent and no trustworthy answer came back (a timeout, a lost or cut-short answer, a
 * 5xx, an abort): the exchange may or may not have carried it out. Never a "failed" order: the caller looks
 * it up by its client order id before it counts it either way.
 */
export class OrderOutcomeUnknownError extends PerpsBotError {
  override readonly name = 'OrderOutcomeUnknownError';
  readonly symbol: string;
  readonly clientOrderId: string;

  constructor(symbol: string, clientOrderId: string, message: string, options: PerpsBotErrorOptions = {}) {
    super(ErrorCodes.ORDER_OUTCOME_UNKNOWN, message, {
      ...options,
      details: { symbol, clientOrderId, ...options.details },
    });
    this.symbol = symbol;
    this.clientOrderId = clientOrderId;
  }
}

export function isPerpsBotError(error: unknown): error is PerpsBotError {
  return error instanceof PerpsBotError;
}

/** A one-line description of any thrown value, for log messages ("Error updating mark for X: <this>"). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
