import { CoinbaseBrokerage } from './adapter.js';
import { loadCdpKey } from './auth/credentials.js';
import { DEFAULT_WS_URL, type CoinbaseBrokerOptions } from './options.js';
import { CoinbaseMarketDataStream, type CoinbaseStreamOptions } from './ws/stream-source.js';

/** The Coinbase Advanced Trade Brokerage. Parses the key at once: a bad secret fails here, as a ConfigError. */
export function createCoinbaseBroker(options: CoinbaseBrokerOptions = {}): CoinbaseBrokerage {
  return new CoinbaseBrokerage(options);
}

export type CoinbaseMarketDataOptions = Pick<
  CoinbaseBrokerOptions,
  'credentials' | 'wsUrl' | 'logger' | 'clock' | 'sleep' | 'random'
> &
  Partial<Omit<CoinbaseStreamOptions, 'url' | 'key' | 'logger' | 'clock' | 'sleep' | 'random'>>;

/** The WebSocket market-data source on its own (no REST adapter needed). */
export function createCoinbaseMarketDataStream(options: CoinbaseMarketDataOptions = {}): CoinbaseMarketDataStream {
  const { credentials, wsUrl, ...rest } = options;
  return new CoinbaseMarketDataStream({
    ...rest,
    url: wsUrl ?? DEFAULT_WS_URL,
    key: credentials ? loadCdpKey(credentials) : undefined,
  });
}
