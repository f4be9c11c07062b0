import {
  Decimal,
  ManualClock,
  MemoryLogger,
  type OrderSide,
  type Position,
  type PreTradeRequest,
  type Product,
} from '@perps-bot/core';
import { LiveRiskManager } from './live-risk-manager.js';
import type { RiskConfigInput } from './risk-config.js';
import type { RiskEventSink } from './risk-events.js';

export const T0 = '2026-01-01T12:00:00.000Z';

export const dec = (value: string | number): Decimal => new Decimal(String(value));

export function perpProduct(symbol = 'BTC-PERP', overrides: Partial<Product> = {}): Product {
  return {
    symbol,
    baseAsset: symbol.split('-')[0] ?? symbol,
    quoteAsset: 'USD',
    marketType: 'PERPETUAL',
    minSize: dec('0.00000001'),
    stepSize: dec('0.00000001'),
    minNotional: dec(10),
    priceIncrement: dec('0.01'),
    leverageMax: null,
    contractSize: dec(1),
    ...overrides,
  };
}

export function spotProduct(symbol = 'BTC-USD', overrides: Partial<Product> = {}): Product {
  return perpProduct(symbol, { marketType: 'SPOT', ...overrides });
}

/** A position; `quantity` is signed (negative = short), as Position documents. */
export function position(symbol: string, quantity: string | number, mark: string | number = 100): Position {
  const qty = dec(quantity);
  return {
    symbol,
    quantity: qty,
    entryPrice: dec(mark),
    markPrice: dec(mark),
    unrealizedPnl: dec(0),
    realizedPnl: dec(0),
    leverage: null,
    side: qty.isNegative() ? 'short' : 'long',
  };
}

export interface OrderSpec {
  readonly symbol?: string;
  readonly side?: OrderSide;
  readonly quantity?: string | number;
  readonly price?: string | number;
  readonly equity?: string | number;
  readonly product?: Product;
  readonly positions?: readonly Position[];
  readonly contractSizes?: Readonly<Record<string, Decimal>>;
}

/** BUY 1 BTC-PERP at 100 against equity 1000 and no positions, unless told otherwise. */
export function order(spec: OrderSpec = {}): PreTradeRequest {
  const symbol = spec.symbol ?? spec.product?.symbol ?? 'BTC-PERP';
  return {
    symbol,
    side: spec.side ?? 'BUY',
    quantity: dec(spec.quantity ?? 1),
    price: dec(spec.price ?? 100),
    product: spec.product ?? perpProduct(symbol),
    equity: dec(spec.equity ?? 1000),
    positions: spec.positions ?? [],
    ...(spec.contractSizes ? { contractSizes: spec.contractSizes } : {}),
  };
}

/**
 * Limits so wide that no check binds, so a test can tighten exactly the one it is about and know which check
 * answered.
 */
export const LOOSE: RiskConfigInput = {
  maxLeverage: 1000,
  minLiquidationBufferPct: 0,
  enablePreTradeLiqProjection: false,
  maxPositionPctPerSymbol: 1000,
  maxExposurePct: 1000,
};

interface RecordedMetric {
  readonly botId: string;
  readonly payload: Record<string, unknown>;
}

class RecordingEventSink implements RiskEventSink {
  readonly metrics: RecordedMetric[] = [];

  appendMetric(botId: string, payload: Record<string, unknown>): void {
    this.metrics.push({ botId, payload });
  }

  ofType(eventType: string): RecordedMetric[] {
    return this.metrics.filter((m) => m.payload.event_type === eventType);
  }
}

export function setup(config: RiskConfigInput = {}, start: string = T0) {
  const clock = new ManualClock(start);
  const logger = new MemoryLogger();
  const events = new RecordingEventSink();
  const risk = new LiveRiskManager({ clock, config, logger, eventStore: events });
  return { clock, logger, events, risk };
}
