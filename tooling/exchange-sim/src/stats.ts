/** What the simulator did to its clients on purpose (faults) or by rule (auth, rate limit, subscribe timeout). */
export type FaultKind =
  | 'http_429'
  | 'http_5xx'
  | 'malformed_body'
  | 'hostile_value'
  | 'timeout'
  | 'lost_response'
  | 'rate_limited'
  | 'auth_failed'
  | 'ws_drop'
  | 'ws_gap'
  | 'ws_malformed'
  | 'ws_hostile'
  | 'ws_subscribe_timeout';

export interface FaultRecord {
  readonly kind: FaultKind;
  readonly at: string;
  /** REST: the route name and the request's number on that route (1-based). */
  readonly route?: string;
  readonly requestNo?: number;
  /** WebSocket: the connection number (1-based) and the sequence_num concerned. */
  readonly connection?: number;
  readonly sequenceNum?: number;
  readonly detail?: string;
}

export interface SimStats {
  readonly startedAt: string;
  readonly uptimeMs: number;
  readonly requests: { readonly total: number; readonly byRoute: Readonly<Record<string, number>> };
  readonly faults: Readonly<Record<FaultKind, number>>;
  /** The newest records, oldest first (at most MAX_LOG). */
  readonly faultLog: readonly FaultRecord[];
  readonly ws: { readonly open: number; readonly total: number; readonly messagesSent: number };
  readonly orders: number;
  readonly fills: number;
}

const MAX_LOG = 10_000;

const emptyFaults = (): Record<FaultKind, number> => ({
  http_429: 0,
  http_5xx: 0,
  malformed_body: 0,
  hostile_value: 0,
  timeout: 0,
  lost_response: 0,
  rate_limited: 0,
  auth_failed: 0,
  ws_drop: 0,
  ws_gap: 0,
  ws_malformed: 0,
  ws_hostile: 0,
  ws_subscribe_timeout: 0,
});

export class StatsRecorder {
  readonly #startedAt: number;
  readonly #now: () => number;
  #total = 0;
  readonly #byRoute = new Map<string, number>();
  readonly #faults = emptyFaults();
  #log: FaultRecord[] = [];
  wsOpen = 0;
  wsTotal = 0;
  wsMessagesSent = 0;

  constructor(now: () => number) {
    this.#now = now;
    this.#startedAt = now();
  }

  /** Counts a request on a route and returns its number on that route (1-based). */
  request(route: string): number {
    this.#total += 1;
    const n = (this.#byRoute.get(route) ?? 0) + 1;
    this.#byRoute.set(route, n);
    return n;
  }

  fault(record: Omit<FaultRecord, 'at'>): void {
    this.#faults[record.kind] += 1;
    this.#log.push({ ...record, at: new Date(this.#now()).toISOString() });
    if (this.#log.length > MAX_LOG) this.#log = this.#log.slice(-MAX_LOG / 2);
  }

  snapshot(extra: { orders: number; fills: number }): SimStats {
    return {
      startedAt: new Date(this.#startedAt).toISOString(),
      uptimeMs: this.#now() - this.#startedAt,
      requests: { total: this.#total, byRoute: Object.fromEntries(this.#byRoute) },
      faults: { ...this.#faults },
      faultLog: [...this.#log],
      ws: { open: this.wsOpen, total: this.wsTotal, messagesSent: this.wsMessagesSent },
      ...extra,
    };
  }
}
