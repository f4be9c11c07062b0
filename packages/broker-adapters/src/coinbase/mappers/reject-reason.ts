/** What an `error_response` (create order, close position) or a preview's `errs` says about a refusal. */
interface RejectionBody {
  readonly error?: string;
  readonly message?: string;
  readonly error_details?: string;
  readonly new_order_failure_reason?: string;
  readonly preview_failure_reason?: string;
}

/** Placeholders Coinbase writes where it has no specific reason (`UNKNOWN_FAILURE_REASON`, `UNKNOWN_…`). */
function isGeneric(reason: string): boolean {
  const upper = reason.toUpperCase();
  return upper === '' || upper === 'UNKNOWN' || upper.startsWith('UNKNOWN_');
}

/**
 * The most specific reason in a refusal. Coinbase puts the generic `UNKNOWN_FAILURE_REASON` in `error` (and in
 * the top-level `failure_reason`) next to the specific one in `new_order_failure_reason` /
 * `preview_failure_reason`, so the first specific value wins: the order-stage reason, then `error`, then the
 * preview-stage reason; `error_details` (free text) only when no field has a code. Which field the live API
 * fills for which refusal is not documented (could not be confirmed offline); placeholders are skipped.
 */
export function rejectionReason(
  body: RejectionBody | null | undefined,
  failureReason = '',
): { reason: string; detail: string } {
  const candidates = [body?.new_order_failure_reason, body?.error, body?.preview_failure_reason, failureReason];
  const specific = candidates.find((c): c is string => typeof c === 'string' && !isGeneric(c));
  const generic = candidates.find((c): c is string => typeof c === 'string' && c !== '');
  const detail = body?.message || body?.error_details || '';
  if (specific) return { reason: specific, detail };
  // No code at all, but free text that says what happened: report the text as the reason.
  if (body?.error_details) return { reason: body.error_details, detail: body.message ?? '' };
  return { reason: generic ?? 'UNKNOWN_FAILURE_REASON', detail };
}
