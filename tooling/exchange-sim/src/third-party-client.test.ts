// A third-party client, Coinbase's sample TypeScript SDK (@coinbase-sample/advanced-trade-sdk-ts 0.3.0 from npm,
// not written here), against the simulator over real sockets: its JWTs, paths, query and bodies are its own.
import {
  CoinbaseAdvTradeClient,
  CoinbaseAdvTradeCredentials,
  OrdersService,
  PortfoliosService,
  ProductsService,
} from '@coinbase-sample/advanced-trade-sdk-ts/dist/index.js'; // the package has no `main`: its entry is dist/
import { describe, expect, it } from 'vitest';
import { startTestSim } from './test-utils.js';

async function sdk() {
  const sim = await startTestSim({ products: ['BIP-20DEC30-CDE', 'BTC-USD'] });
  const key = sim.credentials;
  if (!key) throw new Error('the simulator generated no test key');
  const client = new CoinbaseAdvTradeClient(
    new CoinbaseAdvTradeCredentials(key.keyName, key.privateKeyPem),
    `${sim.brokerageUrl}/`,
  );
  return {
    sim,
    products: new ProductsService(client),
    orders: new OrdersService(client),
    portfolios: new PortfoliosService(client),
  };
}

const BIP = 'BIP-20DEC30-CDE';

describe('a third-party Coinbase client (@coinbase-sample/advanced-trade-sdk-ts) against the simulator', () => {
  it('lists and reads products, CFM as the exchange lists them', async () => {
    const { products } = await sdk();
    const listed = (await products.listProducts({})) as unknown as {
      products: Array<{ productId: string }>;
      numProducts: number;
    };
    expect(listed.products.map((p) => p.productId)).toEqual([BIP, 'BTC-USD']);
    const bip = (await products.getProduct({ productId: BIP })) as Record<string, unknown> & {
      futureProductDetails: Record<string, unknown>;
    };
    expect([bip.quoteIncrement, bip.priceIncrement, bip.futureProductDetails.contractExpiryType]).toEqual([
      '0.01',
      '5',
      'EXPIRING',
    ]);
  });

  it('previews, places, edits, lists and cancels an order; reads a portfolio breakdown', async () => {
    const { sim, orders, portfolios } = await sdk();
    const far = '40000'; // BIP walks from 50000 on a $5 grid: a bid that rests
    // The SDK's request types are camelCase, but it sends bodies as given (its answers it camel-cases): the wire
    // wants snake_case, so bodies are written that way here.
    const configuration = { limit_limit_gtc: { base_size: '1', limit_price: far, post_only: false } };
    const preview = (await orders.createOrderPreview({
      product_id: BIP,
      side: 'BUY',
      order_configuration: configuration,
    } as never)) as { errs: unknown[]; previewId: string };
    expect(preview.errs).toEqual([]);
    expect(preview.previewId).not.toBe('');
    const placed = (await orders.createOrder({
      client_order_id: 'sdk-1',
      product_id: BIP,
      side: 'BUY',
      order_configuration: configuration,
    } as never)) as {
      success: boolean;
      successResponse: { orderId: string };
    };
    expect(placed.success).toBe(true);
    const orderId = placed.successResponse.orderId;
    const moved = '39995';
    const edit = (await orders.editOrder({ order_id: orderId, price: moved, size: '2' } as never)) as {
      success: boolean;
    };
    expect(edit.success).toBe(true);
    const listed = (await orders.listOrders({ productIds: [BIP] })) as {
      orders: Array<{
        orderId: string;
        orderConfiguration: { limitLimitGtc: { limitPrice: string; baseSize: string } };
      }>;
    };
    expect(
      listed.orders.map((o) => [
        o.orderId,
        o.orderConfiguration.limitLimitGtc.limitPrice,
        o.orderConfiguration.limitLimitGtc.baseSize,
      ]),
    ).toEqual([[orderId, moved, '2']]);
    const cancel = (await orders.cancelOrders({ order_ids: [orderId] } as never)) as unknown as {
      results: Array<{ success: boolean }>;
    };
    expect(cancel.results.map((r) => r.success)).toEqual([true]);
    const breakdown = (await portfolios.getPortfolio({ portfolioUuid: sim.portfolioId } as never)) as {
      breakdown: { portfolio: { uuid: string } };
    };
    expect(breakdown.breakdown.portfolio.uuid).toBe(sim.portfolioId);
  });
});
