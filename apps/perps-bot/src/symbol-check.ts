import { ConfigError, describeError, isPerpsBotError, ErrorCodes, type Brokerage } from '@perps-bot/core';
import { BrokerBootstrapError } from './broker-factory.js';

/** How many listed ids an "unknown symbol" error suggests. */
const SUGGESTIONS = 3;

/**
 * Every configured symbol must be a product the broker lists, checked once at start: a typo or a retired product
 * otherwise loops on "unknown product" every cycle. The list gives the suggestions; a symbol missing from it is
 * asked for by id before it is called unknown, because Coinbase's `/products` may leave out some product types
 * by default (its paging and filter defaults could not be confirmed offline). Unknown → ConfigError (exit 2)
 * naming it and the closest listed ids. An exchange that cannot answer the check (after the client's retries: a
 * malformed body, a 5xx streak) is an unavailable broker, a BrokerBootstrapError (exit 2), never a crash.
 */
export async function checkSymbolsListed(broker: Brokerage, symbols: readonly string[]): Promise<void> {
  try {
    await check(broker, symbols);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new BrokerBootstrapError(
      broker.name,
      `could not check the configured symbols against the ${broker.name} product list: ${describeError(error)}`,
      { cause: error },
    );
  }
}

async function check(broker: Brokerage, symbols: readonly string[]): Promise<void> {
  const listed = (await broker.listProducts()).map((p) => p.symbol.toUpperCase());
  const known = new Set(listed);
  for (const symbol of symbols) {
    if (known.has(symbol.toUpperCase())) continue;
    if (await answersById(broker, symbol)) continue;
    const closest = closestIds(symbol, listed, SUGGESTIONS);
    const retired = symbol.toUpperCase().endsWith('-PERP-INTX')
      ? ' INTX perpetuals were retired from Coinbase Advanced Trade (/intx/* on 2026-09-09, perpetuals off Advanced Trade from 2026-10-01).'
      : '';
    const hint = closest.length > 0 ? ` Closest listed: ${closest.join(', ')}.` : ' The broker lists no products.';
    throw new ConfigError(
      'symbols',
      `unknown symbol ${symbol}: the ${broker.name} broker does not list it.${retired}${hint}`,
      {
        details: { symbol, closest },
      },
    );
  }
}

async function answersById(broker: Brokerage, symbol: string): Promise<boolean> {
  try {
    await broker.getProduct(symbol);
    return true;
  } catch (error) {
    if (isPerpsBotError(error) && error.code === ErrorCodes.NOT_FOUND) return false;
    // A product the exchange cannot describe is as unusable as an unknown one; other failures propagate.
    if (
      isPerpsBotError(error) &&
      (error.code === ErrorCodes.VALIDATION || error.code === ErrorCodes.MALFORMED_RESPONSE)
    )
      return false;
    throw error;
  }
}

/** The `count` listed ids nearest to `symbol` by edit distance (ties in list order). */
export function closestIds(symbol: string, listed: readonly string[], count: number): string[] {
  const target = symbol.toUpperCase();
  return listed
    .map((id, index) => ({ id, index, distance: editDistance(target, id) }))
    .sort((a, b) => a.distance - b.distance || a.index - b.index)
    .slice(0, count)
    .map((c) => c.id);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
