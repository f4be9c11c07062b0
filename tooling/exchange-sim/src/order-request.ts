import { Decimal, parseDecimal } from '@perps-bot/core';
import type { ProductCatalog, ProductDef } from './products.js';

export type OrderSide = 'BUY' | 'SELL';
export type OrderKind = 'MARKET' | 'LIMIT' | 'STOP_LIMIT';
export type TimeInForce = 'IMMEDIATE_OR_CANCEL' | 'GOOD_UNTIL_CANCELLED' | 'GOOD_UNTIL_DATE_TIME' | 'FILL_OR_KILL';

/** A create-order body the simulator understood. */
export interface OrderRequest {
  readonly clientOrderId: string;
  readonly product: ProductDef;
  readonly side: OrderSide;
  readonly configKey: string;
  /** The `order_configuration` exactly as sent, echoed back on the order. */
  readonly configuration: Record<string, unknown>;
  readonly kind: OrderKind;
  readonly tif: TimeInForce;
  readonly baseSize: Decimal | undefined;
  readonly quoteSize: Decimal | undefined;
  readonly limitPrice: Decimal | undefined;
  readonly stopPrice: Decimal | undefined;
  readonly stopDirection: 'STOP_DIRECTION_STOP_UP' | 'STOP_DIRECTION_STOP_DOWN' | undefined;
  readonly postOnly: boolean;
  readonly leverage: Decimal;
  readonly marginType: 'CROSS' | 'ISOLATED';
}

/** A request the exchange refuses in the body (`success:false`), with Coinbase's NewOrderFailureReason. */
interface OrderReject {
  readonly reject: string;
  readonly message: string;
}

/** A request too malformed to be an order at all: HTTP 400 INVALID_ARGUMENT. */
interface BadRequest {
  readonly badRequest: string;
}

const CONFIG_KINDS: Record<string, { kind: OrderKind; tif: TimeInForce }> = {
  market_market_ioc: { kind: 'MARKET', tif: 'IMMEDIATE_OR_CANCEL' },
  sor_limit_ioc: { kind: 'LIMIT', tif: 'IMMEDIATE_OR_CANCEL' },
  limit_limit_gtc: { kind: 'LIMIT', tif: 'GOOD_UNTIL_CANCELLED' },
  limit_limit_gtd: { kind: 'LIMIT', tif: 'GOOD_UNTIL_DATE_TIME' },
  limit_limit_fok: { kind: 'LIMIT', tif: 'FILL_OR_KILL' },
  stop_limit_stop_limit_gtc: { kind: 'STOP_LIMIT', tif: 'GOOD_UNTIL_CANCELLED' },
  stop_limit_stop_limit_gtd: { kind: 'STOP_LIMIT', tif: 'GOOD_UNTIL_DATE_TIME' },
};

/** Reads a POST /orders body; every number must be a decimal string, as the exchange requires. */
export function readOrderRequest(body: unknown, catalog: ProductCatalog): OrderRequest | OrderReject | BadRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return { badRequest: 'request body must be a JSON object' };
  const b = body as Record<string, unknown>;
  if (typeof b.client_order_id !== 'string' || b.client_order_id === '')
    return { badRequest: 'client_order_id is required' };
  if (typeof b.product_id !== 'string' || b.product_id === '') return { badRequest: 'product_id is required' };
  if (b.side !== 'BUY' && b.side !== 'SELL') return { badRequest: 'side must be BUY or SELL' };
  const config = b.order_configuration;
  if (config === null || typeof config !== 'object' || Array.isArray(config))
    return { badRequest: 'order_configuration is required' };
  const keys = Object.keys(config);
  if (keys.length !== 1) return { badRequest: 'order_configuration must hold exactly one configuration' };
  const configKey = keys[0] as string;
  const spec = CONFIG_KINDS[configKey];
  if (!spec) return { reject: 'UNSUPPORTED_ORDER_CONFIGURATION', message: `${configKey} is not supported` };
  const product = catalog.get(b.product_id);
  if (!product) return { reject: 'INVALID_PRODUCT_ID', message: `unknown product ${b.product_id}` };
  const inner = (config as Record<string, unknown>)[configKey];
  if (inner === null || typeof inner !== 'object') return { badRequest: `${configKey} must be an object` };
  const fields = inner as Record<string, unknown>;

  const decimalField = (name: string): Decimal | undefined | 'bad' => {
    if (fields[name] === undefined) return undefined;
    if (typeof fields[name] !== 'string') return 'bad';
    return parseDecimal(fields[name]) ?? 'bad';
  };
  const baseSize = decimalField('base_size');
  const quoteSize = decimalField('quote_size');
  const limitPrice = decimalField('limit_price');
  const stopPrice = decimalField('stop_price');
  if (baseSize === 'bad' || quoteSize === 'bad' || limitPrice === 'bad' || stopPrice === 'bad') {
    return { badRequest: `${configKey}: sizes and prices must be decimal strings` };
  }
  if (baseSize === undefined && (quoteSize === undefined || spec.kind !== 'MARKET')) {
    return { badRequest: `${configKey}: base_size is required` };
  }
  if (baseSize !== undefined) {
    if (baseSize.lessThan(product.baseMinSize) || baseSize.greaterThan(product.baseMaxSize)) {
      return {
        reject: 'INVALID_SIZE_PRECISION',
        message: `size ${baseSize.toFixed()} is outside [${product.baseMinSize.toFixed()}, ${product.baseMaxSize.toFixed()}]`,
      };
    }
    if (!baseSize.mod(product.baseIncrement).isZero()) {
      return {
        reject: 'INVALID_SIZE_PRECISION',
        message: `size ${baseSize.toFixed()} is not a multiple of ${product.baseIncrement.toFixed()}`,
      };
    }
  }
  if (quoteSize !== undefined && quoteSize.lessThanOrEqualTo(0))
    return { reject: 'INVALID_SIZE_PRECISION', message: 'quote_size must be positive' };
  if (spec.kind !== 'MARKET') {
    if (limitPrice === undefined || limitPrice.lessThanOrEqualTo(0))
      return { reject: 'INVALID_LIMIT_PRICE', message: 'limit_price must be positive' };
    if (!limitPrice.mod(product.quoteIncrement).isZero()) {
      return {
        reject: 'INVALID_PRICE_PRECISION',
        message: `limit_price is not a multiple of ${product.quoteIncrement.toFixed()}`,
      };
    }
  }
  let stopDirection: OrderRequest['stopDirection'];
  if (spec.kind === 'STOP_LIMIT') {
    if (stopPrice === undefined || stopPrice.lessThanOrEqualTo(0))
      return { reject: 'INVALID_REQUEST', message: 'stop_price must be positive' };
    if (fields.stop_direction !== 'STOP_DIRECTION_STOP_UP' && fields.stop_direction !== 'STOP_DIRECTION_STOP_DOWN') {
      return { badRequest: 'stop_direction must be STOP_DIRECTION_STOP_UP or STOP_DIRECTION_STOP_DOWN' };
    }
    stopDirection = fields.stop_direction;
  }
  let leverage = new Decimal(1);
  if (b.leverage !== undefined) {
    const parsed = typeof b.leverage === 'string' ? parseDecimal(b.leverage) : undefined;
    if (parsed === undefined || parsed.lessThan(1)) return { badRequest: 'leverage must be a decimal string ≥ 1' };
    if (product.kind !== 'spot' && parsed.greaterThan(product.maxLeverage)) {
      return {
        reject: 'INVALID_REQUEST',
        message: `leverage ${parsed.toFixed()} is above the product maximum ${product.maxLeverage.toFixed()}`,
      };
    }
    leverage = parsed;
  }
  if (b.margin_type !== undefined && b.margin_type !== 'CROSS' && b.margin_type !== 'ISOLATED') {
    return { badRequest: 'margin_type must be CROSS or ISOLATED' };
  }
  return {
    clientOrderId: b.client_order_id,
    product,
    side: b.side,
    configKey,
    configuration: config as Record<string, unknown>,
    kind: spec.kind,
    tif: spec.tif,
    baseSize,
    quoteSize,
    limitPrice,
    stopPrice,
    stopDirection,
    postOnly: fields.post_only === true,
    leverage,
    marginType: b.margin_type === 'ISOLATED' ? 'ISOLATED' : 'CROSS',
    // Fields the documented create-order request does not have (reduce_only among them) are ignored, as
    // the exchange ignores them: reduce-only is the client's own job.
  };
}
