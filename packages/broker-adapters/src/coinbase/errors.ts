import { ErrorCodes, PerpsBotError, RequestAbortedError, type ErrorCode } from '@perps-bot/core';

/**
 * Where a Coinbase call failed. Everything here is safe to log: the path never carries the query string
 * (ids in it are order/product ids, not secrets), and no header other than the exchange's request ids is kept.
 */
export interface CoinbaseErrorContext {
  readonly method: string;
  readonly path: string;
  readonly status?: number | undefined;
  /** `x-request-id` (or a similar id header) from the exchange, to quote to Coinbase support. */
  readonly requestId?: string | undefined;
  /** Cloudflare's `cf-ray` id, when the edge answered. */
  readonly cfRay?: string | undefined;
  /** The exchange's own error code from the body (`INVALID_ARGUMENT`, `INSUFFICIENT_FUND`…). */
  readonly exchangeCode?: string | undefined;
}

/** Base class of every error the Coinbase adapter throws on purpose. */
export class CoinbaseError extends PerpsBotError {
  override readonly name: string = 'CoinbaseError';
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly cfRay: string | undefined;
  readonly exchangeCode: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    context: CoinbaseErrorContext,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(code, message, {
      cause: options.cause,
      details: { ...stripUndefined({ ...context }), ...options.details },
    });
    this.method = context.method;
    this.path = context.path;
    this.status = context.status;
    this.requestId = context.requestId;
    this.cfRay = context.cfRay;
    this.exchangeCode = context.exchangeCode;
  }
}

/** 401/403: the key is wrong, expired, revoked, lacks a scope, or the clock is skewed (the JWT is time-bound). */
export class CoinbaseAuthError extends CoinbaseError {
  override readonly name = 'CoinbaseAuthError';
  constructor(message: string, context: CoinbaseErrorContext) {
    super(ErrorCodes.AUTH_FAILED, message, context);
  }
}

/** 429 from the exchange (or a wait the client refused to make). */
export class CoinbaseRateLimitError extends CoinbaseError {
  override readonly name = 'CoinbaseRateLimitError';
  /** How long the exchange asked us to wait, when it said (Retry-After); undefined otherwise. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, context: CoinbaseErrorContext, retryAfterMs: number | undefined) {
    super(ErrorCodes.RATE_LIMITED, message, context, { details: stripUndefined({ retryAfterMs }) });
    this.retryAfterMs = retryAfterMs;
  }
}

export class CoinbaseNotFoundError extends CoinbaseError {
  override readonly name = 'CoinbaseNotFoundError';
  constructor(message: string, context: CoinbaseErrorContext) {
    super(ErrorCodes.NOT_FOUND, message, context);
  }
}

/** 400, or a request the adapter refuses to send (e.g. a limit order without a price). */
export class CoinbaseValidationError extends CoinbaseError {
  override readonly name = 'CoinbaseValidationError';
  constructor(message: string, context: CoinbaseErrorContext) {
    super(ErrorCodes.VALIDATION, message, context);
  }
}

/** 5xx, or an exchange that answered but refused (`success:false`). */
export class CoinbaseExchangeError extends CoinbaseError {
  override readonly name: string = 'CoinbaseExchangeError';
  constructor(message: string, context: CoinbaseErrorContext, details: Record<string, unknown> = {}) {
    super(ErrorCodes.EXCHANGE, message, context, { details });
  }
}

/** An order the exchange refused: `success:false` with an `error_response`. Never retried. */
export class CoinbaseOrderRejectedError extends CoinbaseExchangeError {
  override readonly name = 'CoinbaseOrderRejectedError';
  readonly symbol: string;
  readonly clientOrderId: string;
  readonly reason: string;
  constructor(
    message: string,
    context: CoinbaseErrorContext,
    rejection: { symbol: string; clientOrderId: string; reason: string },
  ) {
    super(message, context, rejection);
    this.symbol = rejection.symbol;
    this.clientOrderId = rejection.clientOrderId;
    this.reason = rejection.reason;
  }
}

/** The request never got an HTTP answer (DNS, refused, reset). */
export class CoinbaseNetworkError extends CoinbaseError {
  override readonly name = 'CoinbaseNetworkError';
  constructor(message: string, context: CoinbaseErrorContext, cause: unknown) {
    super(ErrorCodes.NETWORK, message, context, { cause: safeCause(cause) });
  }
}

export class CoinbaseTimeoutError extends CoinbaseError {
  override readonly name = 'CoinbaseTimeoutError';
  readonly timeoutMs: number;
  constructor(message: string, context: CoinbaseErrorContext, timeoutMs: number) {
    super(ErrorCodes.TIMEOUT, message, context, { details: { timeoutMs } });
    this.timeoutMs = timeoutMs;
  }
}

/** A 2xx answer that is not JSON or does not match the documented shape. */
export class CoinbaseMalformedResponseError extends CoinbaseError {
  override readonly name = 'CoinbaseMalformedResponseError';
  readonly endpoint: string;
  /** Dotted path of the first field that failed validation (`products.3.base_increment`), '' for the body. */
  readonly field: string;
  constructor(endpoint: string, field: string, problem: string, context: CoinbaseErrorContext) {
    const where = field === '' ? 'the body' : `field "${field}"`;
    super(ErrorCodes.MALFORMED_RESPONSE, `Malformed response from ${endpoint}: ${where} ${problem}`, context, {
      details: { endpoint, field },
    });
    this.endpoint = endpoint;
    this.field = field;
  }
}

/**
 * Keeps a transport failure's class and message but not the original object: undici errors can hold the
 * request (and so its Authorization header) deep inside, and a logger that walks `cause` would print it.
 */
function safeCause(cause: unknown): Error | undefined {
  if (cause === undefined) return undefined;
  const name = cause instanceof Error ? cause.name : 'Error';
  const inner = cause instanceof Error ? (cause as Error & { cause?: unknown }).cause : undefined;
  const code =
    inner && typeof inner === 'object' && 'code' in inner ? String((inner as { code: unknown }).code) : undefined;
  const message = cause instanceof Error ? cause.message : String(cause);
  const copy = new Error(code ? `${message} (${code})` : message);
  copy.name = name;
  return copy;
}

function stripUndefined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * `POST /orders/preview` found a problem (`errs`), so the order was never sent: a pre-trade refusal, coded like
 * the risk layer's (RISK_REJECTED), with the exchange's reason. Safe to try again once the cause is gone.
 */
export class CoinbasePreviewRejectedError extends CoinbaseError {
  override readonly name = 'CoinbasePreviewRejectedError';
  readonly symbol: string;
  readonly clientOrderId: string;
  readonly reason: string;
  constructor(
    message: string,
    context: CoinbaseErrorContext,
    rejection: { symbol: string; clientOrderId: string; reason: string },
  ) {
    super(ErrorCodes.RISK_REJECTED, message, context, { details: rejection });
    this.symbol = rejection.symbol;
    this.clientOrderId = rejection.clientOrderId;
    this.reason = rejection.reason;
  }
}

/** INTX perpetuals were retired from Advanced Trade; a live order for one is refused before any request. */
export class CoinbaseIntxRetiredError extends CoinbaseError {
  override readonly name = 'CoinbaseIntxRetiredError';
  readonly symbol: string;
  constructor(symbol: string) {
    super(
      ErrorCodes.VALIDATION,
      `${symbol} is an INTX perpetual, and INTX perpetuals were retired from Coinbase Advanced Trade ` +
        '(the /intx/* endpoints on 2026-09-09; perpetuals moved off Advanced Trade on 2026-10-01): ' +
        'trade a US perpetual-style future such as BIP-20DEC30-CDE instead',
      { method: 'POST', path: '/orders' },
      { details: { symbol } },
    );
    this.symbol = symbol;
  }
}

/**
 * Whether a failed order request may still have been carried out: anything but an answer in which the
 * exchange said no (a refusal, a 4xx: bad request, auth, rate limit, not found) or a refusal before sending.
 * A timeout, a lost connection, a 5xx after the retries, a cut-short or odd 200, an abort: the exchange may
 * hold the order, so its outcome is unknown until it is looked up by client order id.
 */
export function mayHaveExecuted(error: unknown): boolean {
  if (error instanceof CoinbaseOrderRejectedError) return false;
  // The stop signal knows whether an attempt had started: one cancelled before any byte left is not placed.
  if (error instanceof RequestAbortedError) return error.mayHaveBeenSent;
  if (
    error instanceof CoinbaseAuthError ||
    error instanceof CoinbaseRateLimitError ||
    error instanceof CoinbaseNotFoundError
  )
    return false;
  if (error instanceof CoinbaseValidationError) return false;
  // Refused before the order was sent: a preview that listed errors, an INTX id on the live API.
  if (error instanceof CoinbasePreviewRejectedError || error instanceof CoinbaseIntxRetiredError) return false;
  if (error instanceof CoinbaseExchangeError) return error.status === undefined || error.status >= 500;
  return true;
}
