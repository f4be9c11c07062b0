import type { CoinbaseError } from '../errors.js';
import {
  CoinbaseAuthError,
  CoinbaseExchangeError,
  CoinbaseNotFoundError,
  CoinbaseRateLimitError,
  CoinbaseValidationError,
  type CoinbaseErrorContext,
} from '../errors.js';

const MAX_EXCHANGE_MESSAGE = 200;

/** The exchange's error code and message from an error body, in either documented form. */
function readErrorBody(body: unknown): { code?: string; message?: string } {
  if (!body || typeof body !== 'object') return {};
  const record = body as Record<string, unknown>;
  const code = firstString(record.error, record.error_code, typeof record.code === 'string' ? record.code : undefined);
  const message = firstString(record.message, record.error_details, record.error_description);
  const out: { code?: string; message?: string } = {};
  if (code !== undefined) out.code = code;
  if (message !== undefined) out.message = clip(message);
  return out;
}

/** Maps a non-2xx answer to the typed error the rest of the bot switches on. */
export function errorForStatus(
  status: number,
  body: unknown,
  context: Omit<CoinbaseErrorContext, 'status' | 'exchangeCode'>,
  retryAfterMs: number | undefined,
): CoinbaseError {
  const { code, message } = readErrorBody(body);
  const ctx: CoinbaseErrorContext = { ...context, status, exchangeCode: code };
  const where = `${context.method} ${context.path}`;
  const said = [code, message].filter(Boolean).join(': ');
  const suffix = said ? ` (${said})` : '';
  if (status === 401 || status === 403) {
    return new CoinbaseAuthError(
      `Coinbase refused the credentials (${status}) on ${where}${suffix}; check the CDP key name, private key, ` +
        'its permissions and the system clock (JWTs are valid for two minutes)',
      ctx,
    );
  }
  if (status === 429) {
    const wait = retryAfterMs === undefined ? '' : `; retry after ${retryAfterMs} ms`;
    return new CoinbaseRateLimitError(`Coinbase rate limit hit on ${where}${wait}${suffix}`, ctx, retryAfterMs);
  }
  if (status === 404) return new CoinbaseNotFoundError(`Coinbase has no such resource: ${where}${suffix}`, ctx);
  if (status >= 400 && status < 500) {
    return new CoinbaseValidationError(`Coinbase rejected the request (${status}) on ${where}${suffix}`, ctx);
  }
  return new CoinbaseExchangeError(`Coinbase failed (${status}) on ${where}${suffix}`, ctx);
}

function firstString(...values: unknown[]): string | undefined {
  for (const value of values) if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return undefined;
}

function clip(text: string): string {
  return text.length > MAX_EXCHANGE_MESSAGE ? `${text.slice(0, MAX_EXCHANGE_MESSAGE)}…` : text;
}
