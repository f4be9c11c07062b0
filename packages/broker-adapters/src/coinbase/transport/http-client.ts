import { ConfigError, RequestAbortedError, type Clock, type Logger } from '@perps-bot/core';
import { signRestJwt } from '../auth/jwt.js';
import type { CdpKey } from '../auth/credentials.js';
import {
  CoinbaseError,
  CoinbaseMalformedResponseError,
  CoinbaseNetworkError,
  CoinbaseRateLimitError,
  CoinbaseTimeoutError,
  type CoinbaseErrorContext,
} from '../errors.js';
import type { TokenBucket } from './rate-limiter.js';
import { backoffDelayMs, isRetryableStatus, parseRetryAfter, type RetryPolicy, type Sleep } from './retry.js';
import { errorForStatus } from './status-errors.js';

export type QueryValue = string | number | boolean | readonly string[] | undefined;

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  /** Relative to the brokerage base, e.g. `/products/BTC-USD`. */
  readonly path: string;
  /** A stable name for errors and logs, e.g. `GET /products/{product_id}`. */
  readonly endpoint: string;
  readonly query?: Readonly<Record<string, QueryValue>>;
  readonly body?: unknown;
  /** Private endpoints need a key; public ones (`/market/*`, `/time`) are sent unsigned. */
  readonly access: 'private' | 'public';
  /** Whether a retry can never do the thing twice. Defaults to true for GET, false otherwise. */
  readonly idempotent?: boolean;
  readonly signal?: AbortSignal | undefined;
}

export interface HttpResponse {
  readonly status: number;
  readonly body: unknown;
  /** The URL path that answered (no query string), for error context. */
  readonly path: string;
  readonly requestId: string | undefined;
  readonly cfRay: string | undefined;
}

export interface HttpClientOptions {
  /** The brokerage base URL, e.g. `https://api.coinbase.com/api/v3/brokerage`. */
  readonly baseUrl: URL;
  readonly key: CdpKey | undefined;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly limiters: { readonly private?: TokenBucket | undefined; readonly public?: TokenBucket | undefined };
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly random: () => number;
  readonly logger: Logger;
  readonly fetch: typeof fetch;
  /**
   * The bot's stop signal: once aborted, every request in flight, every wait before a retry and every wait
   * for a rate-limit token ends at once with a RequestAbortedError (code REQUEST_ABORTED), so shutdown never
   * waits on a hanging exchange.
   */
  readonly stopSignal?: AbortSignal | undefined;
  /** Builds each attempt's timeout signal (default AbortSignal.timeout); tests make one fire on demand. */
  readonly timeoutSignal?: ((ms: number) => AbortSignal) | undefined;
}

const REQUEST_ID_HEADERS = ['x-request-id', 'x-cb-request-id', 'cb-request-id', 'request-id'];

/**
 * One place that turns a request into JSON or a typed error: signing, rate limiting, the timeout, retries.
 * It never logs or throws headers, and the URL it reports carries no query string.
 */
export class CoinbaseHttpClient {
  readonly #o: HttpClientOptions;

  constructor(options: HttpClientOptions) {
    this.#o = options;
  }

  get authenticated(): boolean {
    return this.#o.key !== undefined;
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const url = this.#url(req);
    if (req.access === 'private' && !this.#o.key) {
      throw new ConfigError(
        'COINBASE_API_KEY_NAME',
        `Coinbase credentials are required for ${req.endpoint}; set the CDP key name and private key`,
      );
    }
    const idempotent = req.idempotent ?? req.method === 'GET';
    const { maxAttempts } = this.#o.retry;
    const stop = this.#o.stopSignal;
    const signal = stop && req.signal ? AbortSignal.any([stop, req.signal]) : (stop ?? req.signal);
    const request: HttpRequest = signal ? { ...req, signal } : req;
    // Whether an attempt's bytes may have left: then an aborted order has an unknown outcome, not a failed one.
    let sent = false;
    for (let attempt = 1; ; attempt++) {
      try {
        if (stop?.aborted) throw new RequestAbortedError(req.endpoint, sent);
        return await this.#attempt(request, url, () => (sent = true));
      } catch (error) {
        if (stop?.aborted)
          throw error instanceof RequestAbortedError
            ? error
            : new RequestAbortedError(req.endpoint, sent, { cause: error });
        const delay = this.#retryDelay(error, attempt, idempotent);
        const retrying = delay !== undefined && attempt < maxAttempts;
        this.#logFailedAttempt(req, error, attempt, retrying ? delay : undefined);
        if (!retrying) throw error;
        try {
          await this.#o.sleep(delay, request.signal);
        } catch (aborted) {
          if (stop?.aborted) throw new RequestAbortedError(req.endpoint, sent, { cause: aborted });
          throw aborted;
        }
      }
    }
  }

  /** The logger requests are reported to (the REST client reports answers of the wrong shape there too). */
  get logger(): Logger {
    return this.#o.logger;
  }

  /**
   * One record per failed attempt, whatever happens next, so every 429, 5xx, timeout, dropped connection or
   * unreadable body can be traced (the request id is the exchange's, to quote to support). Transient failures
   * and unreadable answers are warnings; an answer the caller must handle (401, 404, 400) is debug, since the
   * caller gets the typed error and reports it in its own terms. A cancellation by the caller is not a failure.
   */
  #logFailedAttempt(req: HttpRequest, error: unknown, attempt: number, retryInMs: number | undefined): void {
    if (!(error instanceof CoinbaseError)) return;
    const { maxAttempts } = this.#o.retry;
    const next = retryInMs !== undefined ? `retrying in ${retryInMs} ms` : attempt > 1 ? 'giving up' : 'not retried';
    const fields = {
      endpoint: req.endpoint,
      attempt,
      maxAttempts,
      code: error.code,
      status: error.status,
      requestId: error.requestId,
      path: error.path,
      ...(retryInMs !== undefined ? { retryInMs } : {}),
    };
    const message = `Coinbase ${req.endpoint} failed (attempt ${attempt} of ${maxAttempts}): ${error.message}; ${next}`;
    const transient = isTransient(error) || error instanceof CoinbaseMalformedResponseError;
    if (transient) this.#o.logger.warn(message, fields);
    else this.#o.logger.debug(message, fields);
  }

  async #attempt(req: HttpRequest, url: URL, onSend: () => void): Promise<HttpResponse> {
    const limiter = req.access === 'private' ? this.#o.limiters.private : this.#o.limiters.public;
    await limiter?.acquire(req.signal);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (req.body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.#o.key && req.access === 'private') {
      const nowSeconds = Math.floor(this.#o.clock.now().getTime() / 1000);
      headers.Authorization = `Bearer ${await signRestJwt(this.#o.key, req.method, url, { nowSeconds })}`;
    }
    const context: CoinbaseErrorContext = { method: req.method, path: url.pathname };
    const timeout = (this.#o.timeoutSignal ?? AbortSignal.timeout)(this.#o.timeoutMs);
    const signal = req.signal ? AbortSignal.any([timeout, req.signal]) : timeout;

    let response: Response;
    let text: string;
    try {
      onSend();
      response = await this.#o.fetch(url, {
        method: req.method,
        headers,
        body: req.body === undefined ? null : JSON.stringify(req.body),
        signal,
      });
      text = await response.text();
    } catch (error) {
      throw this.#transportError(error, req, context, timeout);
    }

    const ids = readIds(response.headers);
    const ctx: CoinbaseErrorContext = { ...context, ...ids, status: response.status };
    const body = parseBody(text);
    this.#o.logger.debug(`Coinbase ${req.endpoint} → ${response.status}`, {
      endpoint: req.endpoint,
      status: response.status,
      requestId: ids.requestId,
    });
    if (response.status < 200 || response.status > 299) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.#o.clock.now());
      throw errorForStatus(response.status, body.ok ? body.value : undefined, { ...context, ...ids }, retryAfterMs);
    }
    if (!body.ok) throw new CoinbaseMalformedResponseError(req.endpoint, '', 'is not valid JSON', ctx);
    return {
      status: response.status,
      body: body.value,
      path: url.pathname,
      requestId: ids.requestId,
      cfRay: ids.cfRay,
    };
  }

  #transportError(error: unknown, req: HttpRequest, context: CoinbaseErrorContext, timeout: AbortSignal): unknown {
    // The caller cancelled: not an exchange failure, pass the abort through untouched.
    if (req.signal?.aborted) return req.signal.reason;
    if (timeout.aborted) {
      return new CoinbaseTimeoutError(
        `Coinbase did not answer ${req.endpoint} within ${this.#o.timeoutMs} ms`,
        context,
        this.#o.timeoutMs,
      );
    }
    return new CoinbaseNetworkError(`Could not reach Coinbase for ${req.endpoint}`, context, error);
  }

  #retryDelay(error: unknown, attempt: number, idempotent: boolean): number | undefined {
    if (!idempotent || !(error instanceof CoinbaseError) || !isTransient(error)) return undefined;
    if (error instanceof CoinbaseRateLimitError && error.retryAfterMs !== undefined) {
      return error.retryAfterMs > this.#o.retry.maxRetryAfterMs ? undefined : error.retryAfterMs;
    }
    return backoffDelayMs(attempt, this.#o.retry, this.#o.random);
  }

  #url(req: HttpRequest): URL {
    const base = this.#o.baseUrl;
    const url = new URL(base.href);
    url.pathname = `${base.pathname.replace(/\/$/, '')}${req.path}`;
    for (const [name, value] of Object.entries(req.query ?? {})) {
      if (value === undefined) continue;
      // Coinbase reads list parameters as the key repeated (?product_ids=A&product_ids=B).
      if (Array.isArray(value)) for (const item of value) url.searchParams.append(name, String(item));
      else url.searchParams.append(name, String(value));
    }
    return url;
  }
}

/** Worth another try: the network failed, the exchange was slow, throttled us, or failed on its side. */
function isTransient(error: CoinbaseError): boolean {
  return (
    error.code === 'NETWORK' ||
    error.code === 'TIMEOUT' ||
    (error.status !== undefined && isRetryableStatus(error.status))
  );
}

function readIds(headers: Headers): { requestId?: string; cfRay?: string } {
  const out: { requestId?: string; cfRay?: string } = {};
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers.get(name);
    if (value) {
      out.requestId = value;
      break;
    }
  }
  const ray = headers.get('cf-ray');
  if (ray) out.cfRay = ray;
  return out;
}

function parseBody(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}
