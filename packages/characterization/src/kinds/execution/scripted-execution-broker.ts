import {
  Decimal,
  ErrorCodes,
  OrderOutcomeUnknownError,
  PerpsBotError,
  type Balance,
  type Clock,
  type ClosePositionRequest,
  type Order,
  type PlaceOrderRequest,
  type Position,
  type Product,
} from '@perps-bot/core';
import type { ExecutionScenario } from './scenario.js';

const next = <T>(script: readonly T[], n: number): T => script[Math.min(n, script.length - 1)] as T;

/**
 * A broker that answers as the scenario says: balances and positions per call, products, every order call.
 * Orders get ids `order-1`, `order-2`, … in call order; nothing depends on wall time.
 */
export class ScriptedExecutionBroker {
  readonly #s: ExecutionScenario;
  readonly #clock: Clock;
  readonly #calls = { balances: 0, positions: 0, place: 0, getOrder: 0, lookup: 0 };
  readonly #orders = new Map<string, Order>();
  readonly #byClientId = new Map<string, Order>();
  readonly closePosition: ((request: ClosePositionRequest) => Promise<Order>) | undefined;
  /** Told when an answer is held for the next cycle; it gets the function that lets the answer arrive. */
  onHeld: (release: () => void) => void = (release) => release();

  constructor(scenario: ExecutionScenario, clock: Clock) {
    this.#s = scenario;
    this.#clock = clock;
    this.closePosition = scenario.closePosition
      ? (request) =>
          this.#submit({
            symbol: request.symbol,
            side: this.#closingSide(request.symbol),
            type: 'MARKET',
            quantity: request.quantity,
            tif: 'IOC',
            reduceOnly: true,
            clientId: request.clientId,
          })
      : undefined;
  }

  async listBalances(): Promise<Balance[]> {
    const answer = next(this.#s.balances, this.#calls.balances++);
    if ('throw' in answer) throw new Error(answer.throw);
    return answer.balances.map((b) => ({
      asset: b.asset,
      available: new Decimal(b.available),
      total: new Decimal(b.available),
      hold: new Decimal(0),
    }));
  }

  async listPositions(): Promise<Position[]> {
    const answer = next(this.#s.positions, this.#calls.positions++);
    if ('throw' in answer) throw new Error(answer.throw);
    if (answer.heldForNextCycle) await new Promise<void>((resolve) => this.onHeld(resolve));
    return answer.positions.map((p) => {
      const quantity = new Decimal(p.quantity);
      return {
        symbol: p.symbol,
        quantity,
        entryPrice: new Decimal(p.entryPrice),
        markPrice: new Decimal(p.entryPrice),
        unrealizedPnl: new Decimal(0),
        realizedPnl: new Decimal(0),
        leverage: null,
        side: quantity.isNegative() ? 'short' : 'long',
      };
    });
  }

  async getProduct(symbol: string): Promise<Product> {
    const o = this.#s.products[symbol] ?? {};
    if (o.throw) throw new Error(o.throw);
    return {
      symbol,
      baseAsset: symbol.split('-')[0] ?? symbol,
      quoteAsset: 'USD',
      marketType: 'PERPETUAL',
      minSize: new Decimal(o.minSize ?? '0.0001'),
      stepSize: new Decimal(o.stepSize ?? '0.0001'),
      minNotional: o.minNotional === null ? null : new Decimal(o.minNotional ?? '10'),
      priceIncrement: new Decimal('0.01'),
      leverageMax: 20,
      contractSize: new Decimal(o.contractSize ?? '1'),
    };
  }

  placeOrder(request: PlaceOrderRequest): Promise<Order> {
    return this.#submit({ ...request, clientId: request.clientId ?? null });
  }

  async getOrder(id: string): Promise<Order | null> {
    const answer = next(this.#s.getOrder, this.#calls.getOrder++);
    const known = this.#orders.get(id) ?? null;
    if (answer.type === 'throw') throw new Error(answer.message);
    if (answer.type === 'null' || !known) return null;
    return answer.type === 'filled' ? this.#filled(known) : known;
  }

  async getOrderByClientId(clientId: string): Promise<Order | null> {
    const answer = next(this.#s.lookups, this.#calls.lookup++);
    if (answer.type === 'throw') throw new Error(answer.message);
    const known = this.#byClientId.get(clientId);
    if (answer.type === 'absent' || !known) return null;
    return this.#filled(known);
  }

  #filled(order: Order): Order {
    return { ...order, status: 'FILLED', filledQuantity: order.quantity, updatedAt: this.#clock.now() };
  }

  #closingSide(symbol: string): 'BUY' | 'SELL' {
    const answer = next(this.#s.positions, Math.max(0, this.#calls.positions - 1));
    const held = 'positions' in answer ? answer.positions.find((p) => p.symbol === symbol) : undefined;
    return held && new Decimal(held.quantity).isNegative() ? 'BUY' : 'SELL';
  }

  async #submit(request: Omit<PlaceOrderRequest, 'clientId'> & { clientId: string | null }): Promise<Order> {
    const answer = next(this.#s.placeOrder, this.#calls.place++);
    const now = this.#clock.now();
    const order: Order = {
      id: `order-${this.#calls.place}`,
      clientId: request.clientId,
      symbol: request.symbol,
      side: request.side,
      type: 'MARKET',
      quantity: request.quantity,
      price: null,
      stopPrice: null,
      tif: request.tif ?? 'GTC',
      status: answer.type === 'filled' ? 'FILLED' : answer.type === 'open' ? 'SUBMITTED' : 'REJECTED',
      filledQuantity: answer.type === 'filled' ? request.quantity : new Decimal(0),
      avgFillPrice: null,
      reduceOnly: request.reduceOnly ?? false,
      submittedAt: now,
      updatedAt: now,
    };
    // A request whose answer was lost may still have reached the exchange: a look-up can find it.
    if (request.clientId && (answer.type === 'timeout' || answer.type === 'lost'))
      this.#byClientId.set(request.clientId, order);
    if (answer.type === 'rejected') throw new PerpsBotError(ErrorCodes.EXCHANGE, answer.message);
    if (answer.type === 'timeout') throw new Error(answer.message);
    if (answer.type === 'lost')
      throw new OrderOutcomeUnknownError(request.symbol, request.clientId ?? '', answer.message);
    this.#orders.set(order.id, order);
    if (request.clientId) this.#byClientId.set(request.clientId, order);
    return order;
  }
}
