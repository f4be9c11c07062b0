import { DeterministicBroker } from '@perps-bot/broker-adapters';
import {
  Decimal,
  type PreTradeRequest,
  type PreTradeRisk,
  type Product,
  type Quote,
  type RiskDecision,
} from '@perps-bot/core';
import type { PositionState, StrategyInput } from './decision.js';

type RiskRule = readonly [description: string, matches: (request: PreTradeRequest) => boolean, decision: RiskDecision];

/**
 * A pre-trade risk check driven by a table: the first rule whose predicate matches decides, otherwise the
 * order is allowed. Stands in for LiveRiskManager.preTradeCheck until that lands; records every request.
 */
export class TableRisk implements PreTradeRisk {
  readonly requests: PreTradeRequest[] = [];
  constructor(readonly rules: readonly RiskRule[] = []) {}

  preTradeCheck(request: PreTradeRequest): RiskDecision {
    this.requests.push(request);
    return this.rules.find(([, matches]) => matches(request))?.[2] ?? { allowed: true };
  }
}

export const perpProduct = (symbol = 'BTC-PERP', overrides: Partial<Product> = {}): Product => ({
  symbol,
  baseAsset: symbol.split('-')[0] ?? symbol,
  quoteAsset: 'USD',
  marketType: 'PERPETUAL',
  minSize: new Decimal('1e-8'),
  stepSize: new Decimal('1e-8'),
  minNotional: new Decimal(10),
  priceIncrement: new Decimal('0.01'),
  leverageMax: 20,
  contractSize: new Decimal(1),
  ...overrides,
});

const decimals = (values: ReadonlyArray<string | number>): Decimal[] => values.map((v) => new Decimal(v));

/** Strategy input from a list of marks (the last one is current). */
export function strategyInput(
  marks: ReadonlyArray<string | number>,
  extra: Partial<StrategyInput> = {},
): StrategyInput {
  const all = decimals(marks);
  const current = all.at(-1) ?? new Decimal(0);
  return {
    symbol: 'BTC-PERP',
    current,
    recent: all.slice(0, -1),
    position: undefined,
    equity: new Decimal(100000),
    product: perpProduct(),
    ...extra,
  };
}

export const long = (quantity: string, entry: string): PositionState => ({
  quantity: new Decimal(quantity),
  side: 'long',
  entryPrice: new Decimal(entry),
});
export const short = (quantity: string, entry: string): PositionState => ({
  quantity: new Decimal(quantity),
  side: 'short',
  entryPrice: new Decimal(entry),
});

/**
 * The deterministic broker with scripted quotes: each symbol answers its listed prices in turn (the last one
 * repeats). Orders, balances and positions behave as the deterministic broker's.
 */
export class ScriptedBroker extends DeterministicBroker {
  readonly #script: Map<string, string[]>;
  readonly #calls = new Map<string, number>();

  constructor(script: Record<string, string[]>, options: ConstructorParameters<typeof DeterministicBroker>[0] = {}) {
    super(options);
    this.#script = new Map(Object.entries(script));
  }

  override async getQuote(symbol: string): Promise<Quote | null> {
    const prices = this.#script.get(symbol);
    if (!prices) return super.getQuote(symbol);
    const n = this.#calls.get(symbol) ?? 0;
    this.#calls.set(symbol, n + 1);
    const price = prices[Math.min(n, prices.length - 1)];
    if (price === undefined) return null;
    const last = new Decimal(price);
    return { symbol, bid: last, ask: last, last, ts: new Date('2026-03-02T14:30:00.000Z') };
  }
}
