import {
  Decimal,
  ErrorCodes,
  ManualClock,
  MemoryEventStore,
  MemoryLogger,
  PerpsBotError,
  type MarketDataStreamSource,
  type MarkUpdateSink,
  type QuoteSource,
  type StreamMessage,
} from '@perps-bot/core';
import { MarketDataService, MarkWindows, StreamingService } from '@perps-bot/market-data';
import fc from 'fast-check';

// REST mark updates (MarketDataService.updateMarks, each broker answer released by fast-check's scheduler)
// and the real StreamingService (each frame, each drop and each reconnect wait released by the scheduler)
// on one MarkWindows, wired as PerpsBot wires them: the StreamingService appends through the
// MarketDataService. Invariants: every accepted mark (valid REST quote, ticker or trade frame) is applied
// exactly once, each window is the newest `limit` of the marks applied to it in application order, no
// append leaves a window over its limit, every applied mark gets its risk write and every streamed one its
// ws_mark_update, and the stream loop ends on stop.

type FrameKind = 'ticker' | 'trade' | 'heartbeat' | 'zero' | 'garbage' | 'bad-text';

interface StreamingInterleavingPlan {
  readonly symbols: readonly string[];
  readonly shortMa: number;
  readonly longMa: number;
  /** Concurrent updateMarks() calls. */
  readonly restRounds: number;
  /** Per REST answer (cycled): true → a good quote, false → a zero price (rejected). */
  readonly validity: readonly boolean[];
  /** MarketDataService quote concurrency. */
  readonly concurrency: number;
  /** Marks already in the first symbol's window (maybe more than the limit). */
  readonly prefilled: number;
  /** What each stream connection delivers and how it ends ('idle': open and silent until stopped). */
  readonly connections: readonly {
    readonly frames: readonly { readonly symbol: number; readonly kind: FrameKind }[];
    readonly ending: 'disconnect' | 'end' | 'idle';
  }[];
}

const arbStreamingInterleavingPlan: fc.Arbitrary<StreamingInterleavingPlan> = fc.record({
  symbols: fc.uniqueArray(fc.constantFrom('BTC-PERP', 'ETH-PERP', 'SOL-PERP'), { minLength: 1, maxLength: 3 }),
  shortMa: fc.integer({ min: 1, max: 3 }),
  longMa: fc.integer({ min: 1, max: 3 }),
  restRounds: fc.integer({ min: 1, max: 3 }),
  validity: fc.array(fc.boolean(), { maxLength: 9 }),
  concurrency: fc.integer({ min: 1, max: 3 }),
  prefilled: fc.nat(10),
  connections: fc.array(
    fc.record({
      frames: fc.array(
        fc.record({
          symbol: fc.nat(2),
          kind: fc.oneof(
            { weight: 6, arbitrary: fc.constantFrom<FrameKind>('ticker', 'trade') },
            { weight: 2, arbitrary: fc.constantFrom<FrameKind>('heartbeat', 'zero', 'garbage', 'bad-text') },
          ),
        }),
        { maxLength: 8 },
      ),
      ending: fc.constantFrom('disconnect' as const, 'end' as const, 'idle' as const),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

/** What the StreamingService appends to: PerpsBot hands it the bot's MarkWindows, the MarketDataService's too. */
export type StreamTarget = MarkWindows;

/**
 * Builds the StreamingService's append target. The real one is the shared MarkWindows (one synchronous
 * append). `intend` must be called at the moment a mark is meant to be
 * applied: that order is the application order the windows are checked against.
 */
export type StreamTargetFactory = (ctx: {
  /** The shared store; its `append` already calls `intend` (REST's appends go through it too). */
  readonly windows: MarkWindows;
  readonly scheduler: fc.Scheduler;
  readonly intend: (symbol: string, mark: Decimal) => void;
}) => StreamTarget;

const realStreamTarget: StreamTargetFactory = ({ windows }) => windows;

function frameMessage(symbol: string, kind: FrameKind, price: string): unknown {
  switch (kind) {
    case 'ticker':
      return { channel: 'ticker', product_id: symbol, best_bid: price, best_ask: price };
    case 'trade':
      return { channel: 'market_trades', product_id: symbol, price };
    case 'heartbeat':
      return { channel: 'heartbeats', heartbeat_counter: Number(price) };
    case 'zero':
      return { product_id: symbol, price: '0' };
    case 'garbage':
      return `frame ${price}`;
    case 'bad-text':
      return { product_id: symbol, price: 'n/a' };
  }
}

/** A stream source whose every frame, drop and end is released by the scheduler; idle when the script is used up. */
function scheduledSource(
  s: fc.Scheduler,
  connections: readonly { frames: readonly unknown[]; ending: 'disconnect' | 'end' | 'idle' }[],
): MarketDataStreamSource {
  let opened = 0;
  const open = (signal?: AbortSignal): AsyncIterable<StreamMessage> => {
    const c = opened++;
    const script = connections[c] ?? { frames: [], ending: 'idle' as const };
    let i = 0;
    const idle = (): Promise<IteratorResult<StreamMessage>> =>
      new Promise((resolve) => {
        if (signal?.aborted) resolve({ value: undefined, done: true });
        else signal?.addEventListener('abort', () => resolve({ value: undefined, done: true }), { once: true });
      });
    return {
      [Symbol.asyncIterator]: () => ({
        next: (): Promise<IteratorResult<StreamMessage>> => {
          if (i < script.frames.length) {
            const value = script.frames[i++] as StreamMessage;
            return s.schedule(
              Promise.resolve({ value, done: false as const }),
              `ws c${c} #${i - 1} ${JSON.stringify(value)}`,
            );
          }
          if (i++ === script.frames.length && script.ending !== 'idle') {
            const label = `ws c${c} ${script.ending}`;
            return script.ending === 'end'
              ? s.schedule(Promise.resolve({ value: undefined, done: true as const }), label)
              : s.schedule(Promise.resolve(), label).then(() => {
                  throw new PerpsBotError(ErrorCodes.STREAM, 'socket reset');
                });
          }
          return idle();
        },
        return: async (): Promise<IteratorResult<StreamMessage>> => ({ value: undefined, done: true }),
      }),
    };
  };
  return {
    streamOrderbook: (_symbols, _level, signal) => open(signal),
    streamTrades: (_symbols, signal) => open(signal),
  };
}

interface StreamingInterleavingOutcome {
  /** Broken invariants; empty when all hold. */
  readonly problems: string[];
  /** The final windows, oldest → newest (a replayed ordering can be checked against them). */
  readonly windows: Record<string, string[]>;
}

/** Runs one plan under one scheduler. */
export async function runStreamingInterleaving(
  s: fc.Scheduler,
  plan: StreamingInterleavingPlan,
  streamTarget: StreamTargetFactory = realStreamTarget,
): Promise<StreamingInterleavingOutcome> {
  const problems: string[] = [];
  const first = plan.symbols[0] as string;
  const applied = new Map<string, string[]>(plan.symbols.map((sym) => [sym, []]));
  const appendedTo = new Set<string>();
  const prefill = Array.from({ length: plan.prefilled }, (_, i) => new Decimal(i + 1));
  applied.get(first)?.push(...prefill.map(String));
  // Pre-filled untrimmed: the first append trims it.
  const windows = MarkWindows.forAverages(
    plan.shortMa,
    plan.longMa,
    plan.prefilled > 0 ? [[first, prefill]] : undefined,
  );
  windows.observe((e) => {
    appendedTo.add(e.symbol);
    if (e.size > e.limit)
      problems.push(`${e.symbol} holds ${e.size} marks after appending ${e.mark.toFixed()} (limit ${e.limit})`);
  });
  const accepted: string[] = [];
  const intended: string[] = [];
  const intend = (symbol: string, mark: Decimal): void => {
    intended.push(mark.toFixed());
    const list = applied.get(symbol) ?? [];
    list.push(mark.toFixed());
    applied.set(symbol, list);
  };

  // REST: every answer has a unique price; invalid answers carry a zero price, which the service rejects.
  let restCalls = 0;
  const broker: QuoteSource = {
    getQuote: (symbol) => {
      const n = restCalls++;
      const valid = plan.validity.length === 0 || plan.validity[n % plan.validity.length] === true;
      const price = valid ? String(10_000 + n) : '0';
      if (valid) accepted.push(price);
      const quote = {
        symbol,
        bid: new Decimal(price),
        ask: new Decimal(price),
        last: new Decimal(price),
        ts: new Date(Date.UTC(2026, 2, 1) + n * 1000),
      };
      return s.schedule(Promise.resolve(quote), `quote ${symbol} ${price}`);
    },
  };
  let riskWrites = 0;
  const risk: MarkUpdateSink = { recordMarkUpdate: () => void riskWrites++ };
  const clock = new ManualClock('2026-03-01T12:00:00Z');
  const logger = new MemoryLogger();
  const events = new MemoryEventStore({ clock });
  const marketData = new MarketDataService({
    symbols: plan.symbols,
    broker: () => broker,
    riskManager: () => risk,
    logger,
    clock,
    markWindows: windows,
    concurrency: plan.concurrency,
  });
  // Every append meant (REST's applyQuote and the stream's ingest both append to the one store).
  const append = windows.append.bind(windows);
  windows.append = (symbol, mark) => {
    intend(symbol, mark);
    append(symbol, mark);
  };
  const target = streamTarget({ windows, scheduler: s, intend });

  // Stream: unique prices 20000 + k; tickers and trades are the accepted frames. Connections after an idle
  // one are never opened (the idle one stays open until stop), so they are not part of the run.
  const idleAt = plan.connections.findIndex((c) => c.ending === 'idle');
  const opened = idleAt < 0 ? plan.connections : plan.connections.slice(0, idleAt + 1);
  let k = 0;
  const streamed: string[] = [];
  const delivered = opened.map((c) => ({
    ending: c.ending,
    frames: c.frames.map((f) => {
      const price = String(20_000 + k++);
      if (f.kind === 'ticker' || f.kind === 'trade') {
        accepted.push(price);
        streamed.push(price);
      }
      return frameMessage(plan.symbols[f.symbol % plan.symbols.length] as string, f.kind, price);
    }),
  }));

  // One source for the whole run: the service asks for it on every (re)open, and it counts the opens.
  const source = scheduledSource(s, delivered);
  const streaming = new StreamingService({
    symbols: plan.symbols,
    source: () => source,
    markWindows: target,
    riskManager: () => risk,
    eventStore: () => events,
    logger,
    clock,
    sleep: (ms) => s.schedule(Promise.resolve(), `reconnect wait ${ms} ms`),
    random: () => 1, // the top of the jitter range: the schedule's labels name the plain steps
    stopTimeoutMs: 1_000,
  });
  if (streaming.markWindows !== target || marketData.markWindows !== windows)
    problems.push('the services do not share one MarkWindows');

  streaming.start(1);
  const rest = Promise.all(Array.from({ length: plan.restRounds }, () => marketData.updateMarks()));
  await s.waitIdle();
  await rest;
  await streaming.stop();
  if (streaming.isRunning()) problems.push('the stream loop did not end on stop');

  const sorted = (list: readonly string[]): string => JSON.stringify([...list].sort());
  if (sorted(intended) !== sorted(accepted))
    problems.push(`applied ${sorted(intended)} but accepted ${sorted(accepted)}`);
  if (riskWrites !== accepted.length) problems.push(`${accepted.length} marks accepted, ${riskWrites} risk writes`);
  const markEvents = events.events.flatMap((e) =>
    e.payload.event_type === 'ws_mark_update' ? [String(e.payload.mark)] : [],
  );
  if (sorted(markEvents) !== sorted(streamed))
    problems.push(`ws_mark_update for ${sorted(markEvents)}, streamed ${sorted(streamed)}`);
  for (const symbol of plan.symbols) {
    const inWindow = (windows.get(symbol) ?? []).map((d) => d.toFixed());
    const all = applied.get(symbol) ?? [];
    const expected = appendedTo.has(symbol) ? all.slice(-windows.limit) : all;
    if (JSON.stringify(inWindow) !== JSON.stringify(expected)) {
      problems.push(
        `${symbol}: window ${JSON.stringify(inWindow)} is not the newest ${windows.limit} applied marks ${JSON.stringify(all)}`,
      );
    }
  }
  const final: Record<string, string[]> = {};
  for (const [symbol, marks] of Object.entries(windows.snapshot())) final[symbol] = marks.map((m) => m.toFixed());
  return { problems, windows: final };
}

export function streamingInterleavingProperty(streamTarget: StreamTargetFactory = realStreamTarget) {
  return fc.asyncProperty(fc.scheduler(), arbStreamingInterleavingPlan, async (s, plan) => {
    const { problems } = await runStreamingInterleaving(s, plan, streamTarget);
    if (problems.length > 0) throw new Error(problems.join('\n'));
  });
}
