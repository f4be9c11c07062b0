import type { ApiResult, Exchange } from '../exchange.js';
import { errorBody } from '../http/respond.js';
import type { Market } from '../market.js';
import type { PositionFaults } from '../options.js';
import type { ProductCatalog } from '../products.js';

/** What every route handler reads: the simulator's state. */
export interface SimContext {
  readonly seed: number;
  readonly catalog: ProductCatalog;
  readonly market: Market;
  readonly exchange: Exchange;
  readonly now: () => number;
  /** The default (spot + CFM) portfolio and the INTX portfolio. */
  readonly portfolioId: string;
  readonly intxPortfolioId: string;
  readonly createdAt: Date;
  /** Whether positions answers lag the ledger right now (the `positions` faults). */
  readonly positionFaults: () => PositionFaults | undefined;
}

export interface RouteRequest {
  readonly method: string;
  /** Path parameters in pattern order (already URI-decoded). */
  readonly params: readonly string[];
  readonly query: URLSearchParams;
  readonly body: unknown;
}

export type RouteHandler = (ctx: SimContext, req: RouteRequest) => ApiResult;

export const ok = (body: Record<string, unknown>): ApiResult => ({ status: 200, body });
export const notFound = (message: string): ApiResult => ({ status: 404, body: errorBody('NOT_FOUND', message) });
export const badRequest = (message: string): ApiResult => ({
  status: 400,
  body: errorBody('INVALID_ARGUMENT', message),
});

/** `limit` and an offset `cursor`, as the list endpoints page. Returns undefined on a bad value. */
export function paging(
  query: URLSearchParams,
  defaultLimit: number,
  maxLimit: number,
): { offset: number; limit: number } | undefined {
  const limit = query.has('limit') ? Number(query.get('limit')) : defaultLimit;
  const offset = query.has('cursor') && query.get('cursor') !== '' ? Number(query.get('cursor')) : 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit || !Number.isInteger(offset) || offset < 0)
    return undefined;
  return { offset, limit };
}

/** Repeated array params (`?product_ids=A&product_ids=B`), the way the SDK sends lists. */
export function list(query: URLSearchParams, name: string): string[] {
  return query.getAll(name).filter((v) => v !== '');
}
