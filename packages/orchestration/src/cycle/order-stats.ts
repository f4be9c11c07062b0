/**
 * The reference's order_stats: every live order attempt, and how it ended. Dry runs count nothing. `unknown`
 * holds attempts whose outcome is not known yet; each moves to successful or failed once it is looked up, so
 * attempted = successful + failed + unknown.
 */
export interface OrderCounters {
  attempted: number;
  successful: number;
  failed: number;
  unknown: number;
}

export const emptyOrderCounters = (): OrderCounters => ({ attempted: 0, successful: 0, failed: 0, unknown: 0 });
