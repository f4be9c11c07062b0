import { z } from 'zod';

// An execution scenario is data: the account (balances, positions answers), products, the mark windows the
// cycle starts from, the decisions a scripted strategy returns, every broker answer about orders, the
// pre-trade and cycle risk, and the stores' failures. The runners drive TradingCycle.run() on it.

const decimal = z.string().regex(/^-?\d+(\.\d+)?(e-?\d+)?$/, 'decimal text');
const kebab = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'kebab-case');
const side = z.enum(['BUY', 'SELL']);

const decisionScript = z
  .object({
    action: z.enum(['BUY', 'SELL', 'CLOSE', 'HOLD']),
    reason: z.string().min(1).optional(),
    targetNotional: decimal.optional(),
    reduceOnly: z.boolean().optional(),
    timeInForce: z.enum(['GTC', 'IOC', 'FOK']).optional(),
  })
  .strict();

const position = z.object({ symbol: z.string().min(1), quantity: decimal, entryPrice: decimal }).strict();

/**
 * One listPositions / listBalances answer; the last one repeats. A positions answer `heldForNextCycle` arrives
 * only once the next cycle has started and done all it can without it (an answer that comes after the next
 * cycle started: the two cycles overlap).
 */
const positionsAnswer = z.union([
  z.object({ positions: z.array(position), heldForNextCycle: z.literal(true).optional() }).strict(),
  z.object({ throw: z.string().min(1) }).strict(),
]);
const balancesAnswer = z.union([
  z.object({ balances: z.array(z.object({ asset: z.string().min(1), available: decimal }).strict()) }).strict(),
  z.object({ throw: z.string().min(1) }).strict(),
]);

/**
 * One placeOrder / closePosition answer, in call order (the last repeats): `filled`/`open` return an order
 * (FILLED for the quantity asked, or SUBMITTED), `exchange-rejected` an order with status REJECTED; `rejected`
 * throws a typed broker error (a known failure), `timeout` an untyped Error, `lost` OrderOutcomeUnknownError.
 */
const placeAnswer = z.union([
  z.object({ type: z.enum(['filled', 'open', 'exchange-rejected']) }).strict(),
  z.object({ type: z.enum(['rejected', 'timeout', 'lost']), message: z.string().min(1) }).strict(),
]);

/** getOrder (the read-back and open-order look-ups): `echo` the order as placed (or `filled` now), `null`, or throw. */
const getOrderAnswer = z.union([
  z.object({ type: z.enum(['echo', 'filled', 'null']) }).strict(),
  z.object({ type: z.literal('throw'), message: z.string().min(1) }).strict(),
]);
/** getOrderByClientId (unknown-outcome look-ups): `found` (FILLED), `absent`, or throw. */
const lookupAnswer = z.union([
  z.object({ type: z.enum(['found', 'absent']) }).strict(),
  z.object({ type: z.literal('throw'), message: z.string().min(1) }).strict(),
]);

/** The first matching rule rejects; a rule may match on symbol, side, reduce-only, or the nth check (0-based). */
const preTradeRule = z
  .object({
    symbol: z.string().optional(),
    side: side.optional(),
    reduceOnly: z.boolean().optional(),
    onCalls: z.array(z.number().int().nonnegative()).optional(),
    /** Matches when the check is handed this contract size for the symbol (futures notional in base units). */
    contractSize: decimal.optional(),
    code: z.enum(['KILL_SWITCH', 'REDUCE_ONLY', 'LEVERAGE', 'EXPOSURE', 'POSITION_SIZE', 'LIQUIDATION_BUFFER']),
    reason: z.string().min(1),
  })
  .strict();

const cycleRiskScript = z
  .object({
    killSwitch: z.boolean().optional(),
    staleSymbols: z.array(z.string()).optional(),
    volatilityKillSymbols: z.array(z.string()).optional(),
    reduceOnlyMode: z.boolean().optional(),
    reduceOnlySymbols: z.array(z.string()).optional(),
    /** Symbols checkLiquidationBuffers flags reduce-only (as a breach would). */
    liquidationSymbols: z.array(z.string()).optional(),
  })
  .strict();

const productOverrides = z
  .object({
    minSize: decimal.optional(),
    stepSize: decimal.optional(),
    minNotional: decimal.nullable().optional(),
    contractSize: decimal.optional(),
    throw: z.string().min(1).optional(),
  })
  .strict();

export const executionScenarioSchema = z
  .object({
    name: kebab,
    description: z.string().min(1),
    differsUnder: z.string().optional(),
    symbols: z.array(z.string().min(1)).min(1),
    /** The windows the cycle starts from (short 2 / long 3); the last mark is the current one. */
    marks: z.record(z.string(), z.array(decimal)),
    /** The scripted strategy: per symbol, the decision of each cycle (the last repeats; absent → HOLD). */
    decisions: z.record(z.string(), z.array(decisionScript)),
    cycles: z.number().int().min(1),
    stepMs: z.number().int().positive(),
    dryRun: z.boolean(),
    reduceOnlyMode: z.boolean(),
    timeInForce: z.enum(['GTC', 'IOC', 'FOK']),
    balances: z.array(balancesAnswer).min(1),
    positions: z.array(positionsAnswer).min(1),
    products: z.record(z.string(), productOverrides),
    placeOrder: z.array(placeAnswer).min(1),
    getOrder: z.array(getOrderAnswer).min(1),
    lookups: z.array(lookupAnswer).min(1),
    /** Whether the broker has closePosition (then a CLOSE goes through it). */
    closePosition: z.boolean(),
    preTrade: z.array(preTradeRule),
    cycleRisk: cycleRiskScript,
    /** Orders-store methods that throw (STORE), on every call. */
    ordersStoreFails: z.array(z.enum(['recordIntent', 'upsert', 'updateIntent'])),
    eventStoreFails: z.boolean(),
    /** The cycle runs without an event store (events are best effort: nothing is recorded, nothing fails). */
    noEventStore: z.literal(true).optional(),
    /** The executor's own client ids (`pb-<uuid>`, scrubbed to `pb-id_n`) instead of the harness's `cid-n`. */
    defaultClientIds: z.literal(true).optional(),
  })
  .strict();

export type ExecutionScenario = z.infer<typeof executionScenarioSchema>;

export function parseExecutionScenario(value: unknown): ExecutionScenario {
  const scenario = executionScenarioSchema.parse(value);
  for (const symbol of Object.keys(scenario.decisions)) {
    if (!scenario.symbols.includes(symbol))
      throw new Error(`execution scenario ${scenario.name}: decisions for ${symbol}, which is not one of its symbols`);
  }
  return scenario;
}
