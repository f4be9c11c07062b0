import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A `fetch` for the Coinbase adapter that answers like the exchange after `latencyMs` on a timer, in this
 * process: the products list (full product bodies, ~1.3 KB each, as Coinbase sends them), /best_bid_ask and the
 * ticker. It is the in-process floor of the batched quote path: the adapter's real signing, rate limiter,
 * validation and mapping, with a server that answers concurrent requests concurrently (as Coinbase does; the
 * single-threaded loopback simulator serialises them). `requests` counts what was asked, `waves` the
 * sequential round trips.
 */
export function latencyFetch(latencyMs: number): { fetch: typeof fetch; requests: () => number; waves: () => number } {
  let requests = 0;
  // A wave starts when a request goes out while none is in flight: sequential round trips, whatever the load.
  let inFlight = 0;
  let waves = 0;
  const priceOf = (id: string) => (100 + (Number(/\d+/.exec(id)?.[0] ?? 0) % 500)).toFixed(2);
  const product = (id: string) => ({
    product_id: id,
    price: priceOf(id),
    price_percentage_change_24h: '1.2345',
    volume_24h: '12345.678',
    volume_percentage_change_24h: '0',
    base_increment: '0.00000001',
    quote_increment: '0.01',
    quote_min_size: '1',
    quote_max_size: '100000000',
    base_min_size: '0.00000001',
    base_max_size: '3400',
    base_name: id.split('-')[0],
    quote_name: 'US Dollar',
    watched: false,
    is_disabled: false,
    new: false,
    status: 'online',
    cancel_only: false,
    limit_only: false,
    post_only: false,
    trading_disabled: false,
    auction_mode: false,
    product_type: 'SPOT',
    quote_currency_id: 'USD',
    base_currency_id: id.split('-')[0],
    fcm_trading_session_details: null,
    mid_market_price: priceOf(id),
    alias: '',
    alias_to: [],
    base_display_symbol: id.split('-')[0],
    quote_display_symbol: 'USD',
    view_only: false,
    price_increment: '0.01',
    display_name: id,
    product_venue: 'CBE',
    approximate_quote_24h_volume: '1234567.89',
    future_product_details: null,
  });
  const answer = (url: URL): unknown => {
    const ids = url.searchParams.getAll('product_ids');
    if (url.pathname.endsWith('/best_bid_ask')) {
      return {
        pricebooks: ids.map((id) => ({
          product_id: id,
          bids: [{ price: priceOf(id), size: '1' }],
          asks: [{ price: priceOf(id), size: '1' }],
          time: new Date().toISOString(),
        })),
      };
    }
    const ticker = /\/products\/([^/]+)\/ticker$/.exec(url.pathname);
    if (ticker) {
      const id = decodeURIComponent(ticker[1] as string);
      return {
        trades: [
          { trade_id: '1', product_id: id, price: priceOf(id), size: '1', time: new Date().toISOString(), side: 'BUY' },
        ],
        best_bid: priceOf(id),
        best_ask: priceOf(id),
      };
    }
    if (url.pathname.endsWith('/products')) return { products: ids.map(product), num_products: ids.length };
    return { iso: new Date().toISOString(), epochSeconds: String(Math.floor(Date.now() / 1000)) };
  };
  const fake = (async (input: string | URL | Request) => {
    requests++;
    if (inFlight++ === 0) waves++;
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    await sleep(latencyMs);
    inFlight--;
    return new Response(JSON.stringify(answer(url)), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { fetch: fake, requests: () => requests, waves: () => waves };
}
