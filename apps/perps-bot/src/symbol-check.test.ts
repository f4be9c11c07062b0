// Plain vitest with a stub broker: the check only reads listProducts/getProduct.
import { ConfigError, Decimal, ErrorCodes, PerpsBotError, type Brokerage, type Product } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { BrokerBootstrapError } from './broker-factory.js';
import { checkSymbolsListed, closestIds } from './symbol-check.js';

const LISTED = ['BTC-USD', 'ETH-USD', 'BIP-20DEC30-CDE', 'ETP-20DEC30-CDE', 'BIT-26DEC26-CDE'];

function stub(listed: readonly string[], byId: readonly string[] = []): Brokerage {
  const product = (symbol: string): Product => ({
    symbol,
    baseAsset: 'BTC',
    quoteAsset: 'USD',
    marketType: 'FUTURE',
    minSize: new Decimal(1),
    stepSize: new Decimal(1),
    minNotional: null,
    priceIncrement: new Decimal(5),
    leverageMax: null,
    contractSize: new Decimal('0.01'),
  });
  return {
    name: 'coinbase',
    listProducts: async () => listed.map(product),
    getProduct: async (symbol: string) => {
      if (byId.includes(symbol)) return product(symbol);
      throw new PerpsBotError(ErrorCodes.NOT_FOUND, `no product ${symbol}`);
    },
  } as unknown as Brokerage;
}

describe('checkSymbolsListed', () => {
  it('passes symbols the broker lists, or answers for by id', async () => {
    await expect(
      checkSymbolsListed(stub(LISTED, ['SLP-20DEC30-CDE']), ['BIP-20DEC30-CDE', 'SLP-20DEC30-CDE']),
    ).resolves.toBeUndefined();
  });

  it('stops on an unknown symbol with a ConfigError naming it and the closest listed ids', async () => {
    const error = await checkSymbolsListed(stub(LISTED), ['BIP-20DEC30-CDE', 'BIP-20DEC31-CDE']).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).setting).toBe('symbols');
    expect((error as Error).message).toBe(
      'unknown symbol BIP-20DEC31-CDE: the coinbase broker does not list it. Closest listed: BIP-20DEC30-CDE, ETP-20DEC30-CDE, BIT-26DEC26-CDE.',
    );
  });

  it('says INTX perpetuals were retired when an INTX id is not listed', async () => {
    await expect(checkSymbolsListed(stub(LISTED), ['BTC-PERP-INTX'])).rejects.toThrow(
      /INTX perpetuals were retired from Coinbase Advanced Trade/,
    );
  });

  it('calls an exchange that cannot answer the check an unavailable broker (exit 2), not a crash', async () => {
    const broken = {
      ...stub(LISTED),
      listProducts: () =>
        Promise.reject(new PerpsBotError(ErrorCodes.MALFORMED_RESPONSE, 'Malformed response from GET /products')),
    } as Brokerage;
    const error = await checkSymbolsListed(broken, ['BIP-20DEC30-CDE']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokerBootstrapError);
    expect((error as Error).message).toMatch(
      /could not check the configured symbols .*Malformed response from GET \/products/,
    );
    const failingById = { ...stub(LISTED), getProduct: () => Promise.reject(new Error('socket hang up')) } as Brokerage;
    await expect(checkSymbolsListed(failingById, ['BIP-20DEC31-CDE'])).rejects.toBeInstanceOf(BrokerBootstrapError);
  });

  it('ranks suggestions by edit distance', () => {
    expect(closestIds('eth-usd', LISTED, 2)).toEqual(['ETH-USD', 'BTC-USD']);
  });
});
