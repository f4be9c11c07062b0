import * as account from './account-routes.js';
import type { RouteHandler } from './context.js';
import * as market from './market-routes.js';
import * as orders from './order-routes.js';
import * as preview from './preview-routes.js';

export interface Route {
  readonly method: 'GET' | 'POST';
  /** Stable name used by the latency and fault knobs and in stats. */
  readonly name: string;
  /** Matched against the path below /api/v3/brokerage; groups are the path parameters. */
  readonly pattern: RegExp;
  /** Private routes need a valid JWT; `/time` and the `/market/*` twins do not. */
  readonly access: 'private' | 'public';
  readonly handler: RouteHandler;
}

export const BROKERAGE_PREFIX = '/api/v3/brokerage';
const SEG = '([^/]+)';

const r = (
  method: Route['method'],
  name: string,
  path: string,
  handler: RouteHandler,
  access: Route['access'] = 'private',
): Route => ({
  method,
  name,
  pattern: new RegExp(`^${path.replaceAll('{}', SEG)}/?$`),
  access,
  handler,
});

// Order matters: the literal `/orders/historical/batch` and `/fills` come before `/orders/historical/{id}`.
const ROUTES: readonly Route[] = [
  r('GET', 'time', '/time', market.time, 'public'),
  r('GET', 'products', '/products', market.products),
  r('GET', 'product', '/products/{}', market.product),
  r('GET', 'ticker', '/products/{}/ticker', market.ticker),
  r('GET', 'candles', '/products/{}/candles', market.candles),
  r('GET', 'best_bid_ask', '/best_bid_ask', market.bestBidAsk),
  r('GET', 'product_book', '/product_book', market.productBook),
  r('GET', 'products', '/market/products', market.products, 'public'),
  r('GET', 'product', '/market/products/{}', market.product, 'public'),
  r('GET', 'ticker', '/market/products/{}/ticker', market.ticker, 'public'),
  r('GET', 'candles', '/market/products/{}/candles', market.candles, 'public'),
  r('GET', 'product_book', '/market/product_book', market.productBook, 'public'),
  r('GET', 'accounts', '/accounts', account.listAccounts),
  r('GET', 'account', '/accounts/{}', account.getAccount),
  r('GET', 'portfolios', '/portfolios', account.portfolios),
  r('GET', 'portfolio', '/portfolios/{}', preview.portfolioBreakdown),
  r('POST', 'orders.create', '/orders', orders.createOrder),
  r('POST', 'orders.batch_cancel', '/orders/batch_cancel', orders.batchCancel),
  r('POST', 'orders.close_position', '/orders/close_position', orders.closePosition),
  r('POST', 'orders.preview', '/orders/preview', preview.previewOrder),
  r('POST', 'orders.edit', '/orders/edit', preview.editOrder),
  r('GET', 'orders.list', '/orders/historical/batch', orders.listOrders),
  r('GET', 'orders.fills', '/orders/historical/fills', orders.listFills),
  r('GET', 'orders.get', '/orders/historical/{}', orders.getOrder),
  r('GET', 'cfm.balance_summary', '/cfm/balance_summary', account.cfmBalanceSummary),
  r('GET', 'cfm.positions', '/cfm/positions', account.cfmPositions),
  r('GET', 'cfm.position', '/cfm/positions/{}', account.cfmPosition),
  r('GET', 'intx.portfolio', '/intx/portfolio/{}', account.intxPortfolio),
  r('GET', 'intx.positions', '/intx/positions/{}', account.intxPositions),
  r('GET', 'intx.position', '/intx/positions/{}/{}', account.intxPosition),
];

export function matchRoute(
  method: string,
  path: string,
): { route: Route; params: string[] } | { methodNotAllowed: true } | undefined {
  if (!path.startsWith(BROKERAGE_PREFIX)) return undefined;
  const rest = path.slice(BROKERAGE_PREFIX.length);
  let pathMatched = false;
  for (const route of ROUTES) {
    const m = route.pattern.exec(rest);
    if (!m) continue;
    if (route.method !== method) {
      pathMatched = true;
      continue;
    }
    return { route, params: m.slice(1).map((p) => decodeURIComponent(p)) };
  }
  return pathMatched ? { methodNotAllowed: true } : undefined;
}
