import { readFileSync } from 'node:fs';
import { http, HttpResponse, ws, type JsonBodyType } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { DEFAULT_WS_URL } from '../options.js';
import './whatwg-websocket.js';

export const REST = 'https://api.coinbase.com/api/v3/brokerage';
export const MARKET_WS = DEFAULT_WS_URL;

/** A docs-shaped fixture (see __fixtures__/docs/SOURCES.md), freshly parsed. */
export function docs(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../__fixtures__/docs/${name}.json`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
}

/** A fixture of the older set (__fixtures__/*.json), freshly parsed. */
export function legacyFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../__fixtures__/${name}.json`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
}

/** A JSON answer; fixtures are parsed JSON, so any of them is a JSON body. */
export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  HttpResponse.json(body as JsonBodyType, { status, headers });

/** The market-data WebSocket as msw sees it; tests add `connection` listeners to script the exchange's side. */
export const marketFeed = ws.link(MARKET_WS);

/** One msw server per test file: requests no handler answers fail the test (nothing reaches the network). */
export function installExchange() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

export { http };
