import fc from 'fast-check';

/**
 * A fault schedule: what the exchange, the disk and the operating system do to the bot, phase by phase. Plain
 * data, so a counterexample fast-check finds can be printed, shrunk and kept as a named regression case.
 */
export interface Schedule {
  /** Seeds the simulator: price paths, ids and every fault draw. */
  readonly seed: number;
  /** Runs the bot with RISK_REDUCE_ONLY_MODE=true from a seeded long position: |position| must never grow. */
  readonly reduceOnly: boolean;
  readonly phases: readonly Phase[];
}

export interface Phase {
  /** Bot cycles the phase lasts (counted from health.json, across restarts). */
  readonly cycles: number;
  readonly rest: RestPhaseFaults;
  readonly ws: WsPhaseFaults;
  /** Positions answers that lag the exchange's fills: frozen for the phase, or this many fills behind. */
  readonly positions?: { readonly stale?: boolean; readonly lagFills?: number };
  /** kill -9 after this many of the phase's cycles, then start the bot again on the same data dir. */
  readonly killAfter?: number;
  /** The data dir's filesystem is full for the whole phase (the bot may stop itself; it is restarted after). */
  readonly diskFull?: boolean;
}

/** The simulator's REST faults for a phase, on the routes named (sim route names, see ROUTE_NAMES). */
export interface RestPhaseFaults {
  readonly routes: readonly string[];
  readonly rate5xx?: number;
  readonly rate429?: number;
  readonly rateTimeout?: number;
  readonly rateMalformed?: number;
  readonly rateLostResponse?: number;
  readonly rateHostile?: number;
}

export interface WsPhaseFaults {
  readonly dropRate?: number;
  readonly gapRate?: number;
  readonly malformedRate?: number;
  readonly hostileRate?: number;
}

/** The routes a trading cycle touches, in groups a fault streak hits together. */
const ROUTE_GROUPS = {
  positions: ['cfm.positions', 'cfm.position'],
  balances: ['accounts', 'cfm.balance_summary'],
  orders: ['orders.create', 'orders.get', 'orders.list'],
  quotes: ['ticker', 'product', 'products', 'best_bid_ask'],
} as const;
type RouteGroup = keyof typeof ROUTE_GROUPS;

const rate = fc.constantFrom(0.3, 0.6, 1);
const optionalRate = fc.option(rate, { nil: undefined });

const restFaults: fc.Arbitrary<RestPhaseFaults> = fc
  .record({
    groups: fc.subarray(Object.keys(ROUTE_GROUPS) as RouteGroup[], { minLength: 1 }),
    rate5xx: optionalRate,
    rate429: optionalRate,
    rateTimeout: fc.option(fc.constantFrom(0.2, 0.5), { nil: undefined }),
    rateMalformed: optionalRate,
    rateLostResponse: optionalRate,
    rateHostile: optionalRate,
  })
  .map(({ groups, ...rates }) => ({ routes: groups.flatMap((g) => ROUTE_GROUPS[g]), ...dropUndefined(rates) }));

const wsFaults: fc.Arbitrary<WsPhaseFaults> = fc
  .record({
    dropRate: fc.option(fc.constantFrom(0.02, 0.1), { nil: undefined }),
    gapRate: fc.option(fc.constantFrom(0.05, 0.2), { nil: undefined }),
    malformedRate: fc.option(fc.constantFrom(0.05, 0.2), { nil: undefined }),
    hostileRate: fc.option(fc.constantFrom(0.1, 0.3), { nil: undefined }),
  })
  .map(dropUndefined);

const phase = (diskFull: boolean): fc.Arbitrary<Phase> =>
  fc
    .record({
      cycles: fc.integer({ min: 2, max: 12 }),
      rest: restFaults,
      ws: wsFaults,
      positions: fc.option(
        fc.oneof(fc.constant({ stale: true }), fc.record({ lagFills: fc.integer({ min: 1, max: 3 }) })),
        { nil: undefined, freq: 3 },
      ),
      killAfter: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined, freq: 4 }),
      diskFull: diskFull ? fc.boolean() : fc.constant(false),
    })
    .map(({ killAfter, diskFull: full, positions, ...rest }) => ({
      ...rest,
      ...(positions ? { positions } : {}),
      ...(killAfter !== undefined ? { killAfter: Math.min(killAfter, rest.cycles) } : {}),
      ...(full ? { diskFull: true } : {}),
    }));

/** Schedules of 1–4 phases; `diskFull` only when the runner can give the bot a filesystem of its own. */
export function scheduleArbitrary(options: { diskFull: boolean }): fc.Arbitrary<Schedule> {
  return fc.record({
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    reduceOnly: fc.boolean(),
    phases: fc.array(phase(options.diskFull), { minLength: 1, maxLength: 4 }),
  });
}

/** One line per phase, for a failure message a person can read. */
export function describeSchedule(schedule: Schedule): string {
  return [
    `seed=${schedule.seed}${schedule.reduceOnly ? ' reduce-only' : ''}`,
    ...schedule.phases.map((p, i) => `  phase ${i + 1}: ${JSON.stringify(p)}`),
  ].join('\n');
}

function dropUndefined<T extends Record<string, unknown>>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}
