import {
  Decimal,
  ErrorCodes,
  isPerpetualSymbol,
  PerpsBotError,
  type PlaceOrderRequest,
  type Product,
} from '@perps-bot/core';
import { reducesOnly, type PaperHolding } from './ledger.js';

/** What the paper broker refuses up front, before it looks at a quote. */
export function validatePaperOrder(request: PlaceOrderRequest, holding: PaperHolding): void {
  const refuse = (why: string) =>
    new PerpsBotError(ErrorCodes.VALIDATION, `Paper order for ${request.symbol} refused: ${why}`, {
      details: { symbol: request.symbol },
    });
  if (!request.quantity.isFinite() || request.quantity.lessThanOrEqualTo(0)) throw refuse('quantity must be positive');
  if (request.type === 'STOP' || request.type === 'STOP_LIMIT') throw refuse('stop orders are not simulated');
  if (request.type === 'LIMIT' && (!request.price || request.price.lessThanOrEqualTo(0))) {
    throw refuse('a LIMIT order needs a positive price');
  }
  if (request.reduceOnly && !reducesOnly(holding, request.side, request.quantity)) {
    throw refuse('reduce-only order would open or increase a position');
  }
}

/** A product for market data that offers none: the reference's synthetic defaults (step 1e-8, tick 0.01, min notional 10). */
export function syntheticProduct(symbol: string): Product {
  const [base = symbol, quote = 'USD'] = symbol.split('-');
  const perpetual = isPerpetualSymbol(symbol);
  return {
    symbol,
    baseAsset: base,
    quoteAsset: quote === 'PERP' ? 'USD' : quote,
    marketType: perpetual ? 'PERPETUAL' : 'SPOT',
    minSize: new Decimal('1e-8'),
    stepSize: new Decimal('1e-8'),
    minNotional: new Decimal(10),
    priceIncrement: new Decimal('0.01'),
    leverageMax: perpetual ? 20 : null,
    contractSize: new Decimal(1),
  };
}
