import type { MarketDataStreamSource, StreamMessage } from '@perps-bot/core';
import { WebSocket } from 'ws';

/**
 * A bare Coinbase market-data client: one socket, a `ticker` subscribe, every frame parsed and yielded as the
 * raw envelope. It has the shape of core's MarketDataStreamSource so the ingest benchmark can swap it for the
 * Coinbase adapter's WebSocket source once that is in main. No reconnects: a benchmark wants to see a drop.
 */
export class PlainWsTickerSource implements MarketDataStreamSource {
  readonly #wsUrl: string;

  constructor(wsUrl: string) {
    this.#wsUrl = wsUrl;
  }

  streamOrderbook(symbols: readonly string[], _level: number, signal?: AbortSignal): AsyncIterable<StreamMessage> {
    return this.streamTrades(symbols, signal);
  }

  streamTrades(symbols: readonly string[], signal?: AbortSignal): AsyncIterable<StreamMessage> {
    const url = this.#wsUrl;
    return {
      [Symbol.asyncIterator]: () => {
        const queue: StreamMessage[] = [];
        let wake: (() => void) | undefined;
        let done = false;
        let failure: Error | undefined;
        const ws = new WebSocket(url);
        const notify = () => {
          const w = wake;
          wake = undefined;
          w?.();
        };
        const finish = (error?: Error) => {
          done = true;
          failure ??= error;
          notify();
        };
        ws.on('open', () => ws.send(JSON.stringify({ type: 'subscribe', channel: 'ticker', product_ids: symbols })));
        ws.on('message', (data) => {
          try {
            queue.push(JSON.parse(data.toString()) as StreamMessage);
          } catch {
            return; // a garbage frame is skipped, as a real client would
          }
          notify();
        });
        ws.on('close', () => finish());
        ws.on('error', (error) => finish(error));
        signal?.addEventListener('abort', () => {
          ws.terminate();
          finish();
        });
        return {
          async next(): Promise<IteratorResult<StreamMessage>> {
            for (;;) {
              const message = queue.shift();
              if (message) return { value: message, done: false };
              if (failure) throw failure;
              if (done) return { value: undefined, done: true };
              await new Promise<void>((resolve) => {
                wake = resolve;
              });
            }
          },
          async return(): Promise<IteratorResult<StreamMessage>> {
            ws.terminate();
            done = true;
            return { value: undefined, done: true };
          },
        };
      },
    };
  }
}
