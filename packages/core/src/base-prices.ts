import { Decimal } from './decimal.js';

/** The reference's fixed marks; unknown symbols start at 1000. US futures map by their base code. */
const BASE_PRICES: Record<string, string> = {
  BTC: '50000',
  BIP: '50000',
  BIT: '50000',
  ETH: '3000',
  ETP: '3000',
  XRP: '0.50',
  XPP: '0.50',
  SOL: '150',
  SLP: '150',
};

export function basePriceFor(symbol: string): Decimal {
  const base = symbol.split('-')[0]?.toUpperCase() ?? '';
  return new Decimal(BASE_PRICES[base] ?? '1000');
}

export function isPerpetualSymbol(symbol: string): boolean {
  const upper = symbol.toUpperCase();
  return upper.endsWith('-PERP') || upper.endsWith('-PERP-INTX') || upper.endsWith('-CDE');
}
