import {
  Decimal,
  decimalToString,
  describeError,
  ErrorCodes,
  parseDecimal,
  PerpsBotError,
  type Clock,
  type EventStore,
  type Logger,
  type MarketDataStreamSource,
  type MarkUpdateSink,
} from '@perps-bot/core';
import type { MarketHeartbeat, MarkWindows } from '@perps-bot/market-data';

export interface LegacyStreamContext {
  /** The broker as a stream source (the reference called `self.broker.stream_orderbook`). */
  readonly source: () => MarketDataStreamSource;
  /** The bot's store; it carries the reference's trim, max(shortMa, longMa) + 5. */
  readonly markWindows: MarkWindows;
  readonly riskManager: () => MarkUpdateSink | undefined;
  readonly eventStore: () => EventStore | undefined;
  readonly marketMonitor: MarketHeartbeat | undefined;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly botId: string;
}

/** The reference's `_ws_thread` + `_ws_stop`: the running loop and the way to stop it. */
export interface LegacyStreamHandle {
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

/**
 * The streaming code of PerpsBot before the StreamingService was extracted (`_start_streaming_background_legacy`,
 * `_run_stream_loop`, `_stop_streaming_background`), kept as the rollback path behind
 * USE_NEW_STREAMING_SERVICE=false and as the control the StreamingService is compared with. Written on its
 * own on purpose (it shares no code with the service); change it only to keep golden equality.
 *
 * Quirks kept here, as in the reference:
 * - The last/price fallback is converted unguarded: a price that is not a decimal raises, the loop writes
 *   ws_stream_error and ws_stream_exit and ends for good (the StreamingService fixes this: `bad-price-text`).
 * - A stream that ends or fails is never reopened (the StreamingService reopens it: `stream-reconnect`).
 * - No symbols → return silently; there is no "already running" guard, so a second start leaves the first
 *   loop running with nobody holding its handle (the reference's duplicate-thread quirk).
 * - The stop signal is looked at only when a message arrives (the source is also handed the signal).
 * Ported, not modelled: price text is read with the strict decimal grammar of the whole bot (Python's
 * Decimal also accepted "NaN", "Infinity" and "1_000"; a NaN or infinite mark is never meaningful), and a
 * non-string symbol goes through String() where Python used str() (no feed sends one).
 */
export function startLegacyStream(
  ctx: LegacyStreamContext,
  botSymbols: readonly string[],
  configuredLevel: unknown,
): LegacyStreamHandle | undefined {
  const symbols = [...botSymbols];
  if (symbols.length === 0) return undefined;
  const level = legacyLevel(configuredLevel || 1, ctx.logger);
  const controller = new AbortController();
  ctx.logger.info(
    `Started WS streaming thread for symbols=[${symbols.map((s) => `'${s}'`).join(', ')}] level=${level}`,
    {
      symbols,
      level,
    },
  );
  return { controller, done: runLegacyStreamLoop(ctx, symbols, level, controller.signal) };
}

/** Sets the stop signal, waits up to `timeoutMs` for the loop, and never throws. */
export async function stopLegacyStream(
  handle: LegacyStreamHandle | undefined,
  logger: Logger,
  timeoutMs = 2_000,
): Promise<void> {
  if (handle === undefined) return;
  let timer: NodeJS.Timeout | undefined;
  try {
    handle.controller.abort();
    await Promise.race([handle.done, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
  } catch (error) {
    logger.debug(`Failed to stop WS streaming thread cleanly: ${describeError(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

export async function runLegacyStreamLoop(
  ctx: LegacyStreamContext,
  symbols: string[],
  level: number,
  signal: AbortSignal,
): Promise<void> {
  try {
    let stream: AsyncIterable<unknown>;
    try {
      stream = ctx.source().streamOrderbook(symbols, level, signal);
    } catch (error) {
      ctx.logger.warn(`Orderbook stream unavailable, falling back to trades: ${describeError(error)}`);
      try {
        stream = ctx.source().streamTrades(symbols, signal);
      } catch (tradeError) {
        ctx.logger.error(`Failed to start streaming trades: ${describeError(tradeError)}`);
        return;
      }
    }

    for await (const msg of stream) {
      if (signal.aborted) break;
      if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) continue;
      const m = msg as Record<string, unknown>;
      const rawSym = pyOr(pyOr(m.product_id, m.symbol), '');
      const sym = typeof rawSym === 'string' ? rawSym : String(rawSym);
      if (!sym) continue;

      let mark: Decimal | undefined;
      const bid = pyOr(m.best_bid, m.bid);
      const ask = pyOr(m.best_ask, m.ask);
      if (bid !== undefined && bid !== null && ask !== undefined && ask !== null) {
        try {
          mark = pyDecimal(bid, sym).plus(pyDecimal(ask, sym)).div(new Decimal(2));
        } catch {
          mark = undefined;
        }
      }
      if (mark === undefined) {
        const rawMark = pyOr(m.last, m.price);
        if (rawMark === undefined || rawMark === null) continue;
        mark = pyDecimal(rawMark, sym); // unguarded, as in the reference: bad text ends the loop
      }
      if (mark.lessThanOrEqualTo(0)) continue;

      ctx.markWindows.append(sym, mark);
      try {
        ctx.marketMonitor?.recordUpdate(sym);
        ctx.riskManager()?.recordMarkUpdate(sym, ctx.clock.now());
        ctx
          .eventStore()
          ?.appendMetric(ctx.botId, { event_type: 'ws_mark_update', symbol: sym, mark: decimalToString(mark) });
      } catch (error) {
        ctx.logger.error(`WS mark update bookkeeping failed for ${sym}`, { symbol: sym, error: describeError(error) });
      }
    }
  } catch (error) {
    // An error raised because we aborted the source is the stop itself, not a stream failure.
    if (!signal.aborted) {
      try {
        ctx.eventStore()?.appendMetric(ctx.botId, { event_type: 'ws_stream_error', message: describeError(error) });
      } catch {
        ctx.logger.error('Failed to record WS stream error metric');
      }
    }
  } finally {
    try {
      ctx.eventStore()?.appendMetric(ctx.botId, { event_type: 'ws_stream_exit' });
    } catch {
      ctx.logger.error('Failed to record WS stream exit metric');
    }
  }
}

/** Python's `a or b` on JSON values. */
function pyOr(a: unknown, b: unknown): unknown {
  return pyTruthy(a) ? a : b;
}

function pyTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** `Decimal(str(value))`: raises on anything that is not decimal text. */
function pyDecimal(value: unknown, sym: string): Decimal {
  const parsed = typeof value === 'string' || typeof value === 'number' ? parseDecimal(value) : undefined;
  if (parsed === undefined) {
    throw new PerpsBotError(
      ErrorCodes.BAD_QUOTE,
      `Invalid price ${JSON.stringify(value) ?? String(value)} in stream message for ${sym}`,
      {
        details: { symbol: sym },
      },
    );
  }
  return parsed;
}

/** `max(int(level), 1)`; a value int() would refuse logs a warning and becomes 1. */
function legacyLevel(level: unknown, logger: Logger): number {
  if (typeof level === 'number' && Number.isFinite(level)) return Math.max(Math.trunc(level), 1);
  if (typeof level === 'boolean') return 1;
  if (typeof level === 'string' && /^\s*[+-]?\d+\s*$/.test(level)) return Math.max(Number.parseInt(level, 10), 1);
  logger.warn(`Invalid streaming level ${String(level)}; defaulting to 1`, { level: String(level) });
  return 1;
}
