/** The reference's order_stats: every live order attempt, and how it ended. Dry runs count nothing. */
export interface OrderCounters {
  attempted: number;
  successful: number;
  failed: number;
}

export const emptyOrderCounters = (): OrderCounters => ({ attempted: 0, successful: 0, failed: 0 });
