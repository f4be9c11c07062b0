import type { PlaceOrderRequest } from '@perps-bot/core';
import { CoinbasePreviewRejectedError } from './errors.js';
import type { CreateOrderBody } from './mappers/order-request.js';
import { rejectionReason } from './mappers/reject-reason.js';
import type { CoinbaseRestClient } from './rest-client.js';

/** The create-order fields `POST /orders/preview` documents (no client order id: a preview places nothing). */
function previewBodyOf(body: CreateOrderBody): Record<string, unknown> {
  const { product_id, side, order_configuration, leverage, margin_type } = body;
  return Object.fromEntries(
    Object.entries({ product_id, side, order_configuration, leverage, margin_type }).filter(([, v]) => v !== undefined),
  );
}

/**
 * ORDER_PREVIEW_ENABLED: asks Coinbase to preview the order and refuses it (CoinbasePreviewRejectedError) when
 * the preview lists any `errs`, so a placement the exchange would refuse never goes out. Whether the live API
 * ever lists only the placeholder `UNKNOWN_PREVIEW_FAILURE_REASON` for an order it would accept could not be
 * confirmed offline; a listed entry is treated as a refusal either way (the safe side). Returns the warnings.
 */
export async function previewOrRefuse(
  rest: CoinbaseRestClient,
  body: CreateOrderBody,
  request: PlaceOrderRequest,
  clientOrderId: string,
): Promise<{ previewId: string; warnings: readonly string[] }> {
  const preview = await rest.previewOrder(previewBodyOf(body));
  if (preview.errs.length > 0) {
    const [first = ''] = preview.errs;
    const specific = preview.errs.find((e) => rejectionReason({ preview_failure_reason: e }).reason === e) ?? first;
    throw new CoinbasePreviewRejectedError(
      `Coinbase's preview refused the ${request.side} ${request.type} order for ${request.symbol} before it was sent: ${preview.errs.join(', ')}`,
      { ...preview.context, exchangeCode: specific },
      { symbol: request.symbol, clientOrderId, reason: specific },
    );
  }
  return { previewId: preview.preview_id, warnings: preview.warning };
}
