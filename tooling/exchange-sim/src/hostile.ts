/**
 * Hostile values an exchange (or something between it and the bot) can send inside an otherwise well-formed
 * answer: prices that overflow a double, are negative, zero or not numbers; a crossed or one-sided book; a
 * timestamp years ahead; a product nobody asked for. Each kind rewrites only the fields it names.
 */
export const HOSTILE_KINDS = [
  'huge_exponent',
  'nan_price',
  'zero_price',
  'negative_bid',
  'zero_bid',
  'future_time',
  'foreign_product',
] as const;
export type HostileKind = (typeof HOSTILE_KINDS)[number];

const FUTURE = '2099-01-01T00:00:00.000000Z';

const REWRITES: Record<HostileKind, Readonly<Record<string, string>>> = {
  // Parses as Infinity in a double, and as a finite but absurd number in a 40-digit decimal.
  huge_exponent: { price: '1e9000000000000001', mid_market_price: '1e9000000000000001' },
  nan_price: { price: 'NaN' },
  zero_price: { price: '0' },
  negative_bid: { best_bid: '-1', bid: '-1', best_ask: '2', ask: '2' },
  zero_bid: { best_bid: '0', bid: '0' },
  future_time: { time: FUTURE, timestamp: FUTURE },
  foreign_product: { product_id: 'NaN' },
};

/** A deep copy of `value` with the kind's fields replaced wherever they occur (objects inside arrays too). */
export function makeHostile(value: unknown, kind: HostileKind): unknown {
  const rewrite = REWRITES[kind];
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(v))
      out[key] = key in rewrite && typeof inner === 'string' ? rewrite[key] : walk(inner);
    return out;
  };
  return walk(value);
}

/** The kind for a draw in [0, 1). */
export function hostileKindFor(u: number): HostileKind {
  return HOSTILE_KINDS[Math.min(HOSTILE_KINDS.length - 1, Math.floor(u * HOSTILE_KINDS.length))] as HostileKind;
}
