import { afterEach } from 'vitest';
import { WebSocket } from 'ws';
import { jwtUriFor, signTestJwt } from './auth.js';
import type { SimOptions } from './options.js';
import { startExchangeSim, type ExchangeSim } from './server.js';

const running = new Set<ExchangeSim>();

afterEach(async () => {
  await Promise.all([...running].map((sim) => sim.close()));
  running.clear();
});

/** A simulator that the test file's afterEach closes; the market only moves when the test says (tick 0). */
/** The defaults plus the legacy INTX perps: these tests keep exercising the INTX path the defaults dropped. */
export const TEST_PRODUCT_IDS = [
  'BTC-USD',
  'ETH-USD',
  'BIP-20DEC30-CDE',
  'ETP-20DEC30-CDE',
  'BTC-PERP-INTX',
  'ETH-PERP-INTX',
] as const;

export async function startTestSim(options: SimOptions = {}): Promise<ExchangeSim> {
  const sim = await startExchangeSim({ tickIntervalMs: 0, products: TEST_PRODUCT_IDS, ...options });
  running.add(sim);
  return sim;
}

interface SimResponse {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/** A request signed with the simulator's test key, as the Coinbase adapter would send it. */
export async function call(
  sim: ExchangeSim,
  method: 'GET' | 'POST',
  path: string,
  options: { body?: unknown; token?: string | null; signal?: AbortSignal } = {},
): Promise<SimResponse> {
  const url = new URL(`${sim.brokerageUrl}${path}`);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  let token = options.token;
  if (token === undefined && sim.credentials)
    token = await signTestJwt(sim.credentials, { uri: jwtUriFor(method, url) });
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export const getJson = async (sim: ExchangeSim, path: string): Promise<Record<string, unknown>> =>
  (await call(sim, 'GET', path)).json as Record<string, unknown>;

/** A WebSocket client that keeps every frame and lets a test wait for the one it wants. */
export class FeedClient {
  readonly frames: unknown[] = [];
  readonly raw: string[] = [];
  closed = false;
  closeCode: number | undefined;
  readonly ws: WebSocket;
  readonly #waiters: { pred: (f: unknown) => boolean; resolve: (f: unknown) => void }[] = [];
  readonly #closeWaiters: (() => void)[] = [];

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      const text = data.toString();
      this.raw.push(text);
      let frame: unknown;
      try {
        frame = JSON.parse(text);
      } catch {
        frame = { unparsable: text };
      }
      this.frames.push(frame);
      for (const w of [...this.#waiters]) {
        if (w.pred(frame)) {
          this.#waiters.splice(this.#waiters.indexOf(w), 1);
          w.resolve(frame);
        }
      }
    });
    ws.on('close', (code) => {
      this.closed = true;
      this.closeCode = code;
      for (const r of this.#closeWaiters) r();
    });
  }

  static async connect(sim: ExchangeSim): Promise<FeedClient> {
    const ws = new WebSocket(sim.wsUrl);
    const client = new FeedClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => {
        // A reset after the open (an injected drop) shows as `closed`; it must not be an unhandled error.
        ws.on('error', () => undefined);
        resolve();
      });
      ws.once('error', reject);
    });
    return client;
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  /** The first frame (already received or future) that matches. */
  next<T = Record<string, unknown>>(pred: (f: Record<string, unknown>) => boolean, timeoutMs = 3000): Promise<T> {
    const p = pred as (f: unknown) => boolean;
    const seen = this.frames.find(p);
    if (seen) return Promise.resolve(seen as T);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching frame within ${timeoutMs} ms; got ${this.raw.slice(-3).join(' | ')}`)),
        timeoutMs,
      );
      this.#waiters.push({ pred: p, resolve: (f) => (clearTimeout(timer), resolve(f as T)) });
    });
  }

  /** Waits until `count` frames match. */
  async count(
    pred: (f: Record<string, unknown>) => boolean,
    count: number,
    timeoutMs = 3000,
  ): Promise<Record<string, unknown>[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hits = (this.frames as Record<string, unknown>[]).filter(pred);
      if (hits.length >= count) return hits;
      if (Date.now() > deadline) throw new Error(`only ${hits.length} of ${count} frames within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  untilClosed(timeoutMs = 3000): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`socket still open after ${timeoutMs} ms`)), timeoutMs);
      this.#closeWaiters.push(() => (clearTimeout(timer), resolve()));
    });
  }

  close(): void {
    this.ws.terminate();
  }
}

export const isChannel = (channel: string) => (f: Record<string, unknown>) => f.channel === channel;
