import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, describeError, type Logger } from '@perps-bot/core';
import type { BotMetrics } from './metrics.js';
import { STATUS_PAGE_HTML } from './status-page.js';
import type { StatusModel } from './status-model.js';

interface StatusServerOptions {
  readonly host: string;
  readonly port: number;
  readonly model: StatusModel;
  readonly metrics: BotMetrics;
  readonly logger: Logger;
  /** Seconds between cycles: /readyz fails when the last cycle is older than a few of these. */
  readonly intervalSeconds: number;
  readonly now?: () => Date;
}

export interface StatusServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The bot's HTTP endpoint (off by default, loopback by default): /healthz (the process is up and not in
 * error), /readyz (running, with a recent cycle), /metrics (Prometheus text), /api/status (JSON) and the
 * status page at /. Read-only: no route changes anything in the bot.
 */
export async function startStatusServer(options: StatusServerOptions): Promise<StatusServer> {
  const server: Server = createServer((request, response) => {
    handle(request, response, options).catch((error: unknown) => {
      options.logger.error(`Status server: ${describeError(error)}`);
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else response.end();
    });
  });
  server.keepAliveTimeout = 2_000;
  await new Promise<void>((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) =>
      // A taken port or an address this machine does not have is a setting to change: exit 2, naming it.
      reject(
        new ConfigError(
          'statusPort',
          `the status server cannot listen on ${options.host}:${options.port} (${error.code ?? describeError(error)}); choose another statusPort (--status-port, PERPS_STATUS_PORT) or statusHost`,
        ),
      );
    server.once('error', fail);
    server.listen(options.port, options.host, () => {
      server.off('error', fail);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}/`;
  options.logger.info(`Status server listening on ${url}`, { url });
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(request: IncomingMessage, response: ServerResponse, o: StatusServerOptions): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('allow', 'GET, HEAD');
    send(response, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
    return;
  }
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  const doc = o.model.document();
  switch (path) {
    case '/':
    case '/index.html':
      send(response, 200, 'text/html; charset=utf-8', STATUS_PAGE_HTML);
      return;
    case '/healthz': {
      const status = doc?.health.status ?? 'starting';
      const healthy = status !== 'error';
      send(response, healthy ? 200 : 503, 'application/json', JSON.stringify({ ok: healthy, status }));
      return;
    }
    case '/readyz': {
      const verdict = readiness(doc?.health, o.intervalSeconds, (o.now ?? (() => new Date()))());
      send(response, verdict.ready ? 200 : 503, 'application/json', JSON.stringify(verdict));
      return;
    }
    case '/metrics':
      send(response, 200, o.metrics.contentType, await o.metrics.text());
      return;
    case '/api/status':
      if (!doc) send(response, 503, 'application/json', JSON.stringify({ error: 'the bot is starting' }));
      else send(response, 200, 'application/json', JSON.stringify(doc));
      return;
    default:
      send(
        response,
        404,
        'text/plain; charset=utf-8',
        'not found: try /, /healthz, /readyz, /metrics or /api/status\n',
      );
  }
}

/** Ready: running, at least one cycle done, and the last one no older than three intervals (at least 30 s). */
function readiness(
  health: { status: string; cycleCount: number; lastCycleAt: string | null } | undefined,
  intervalSeconds: number,
  now: Date,
): { ready: boolean; reason: string } {
  if (!health) return { ready: false, reason: 'starting' };
  if (health.status !== 'running') return { ready: false, reason: `status is ${health.status}` };
  if (health.cycleCount < 1 || !health.lastCycleAt) return { ready: false, reason: 'no cycle completed yet' };
  const age = (now.getTime() - new Date(health.lastCycleAt).getTime()) / 1000;
  const limit = Math.max(30, intervalSeconds * 3);
  if (age > limit) return { ready: false, reason: `last cycle ${age.toFixed(1)} s ago (limit ${limit} s)` };
  return { ready: true, reason: `cycle ${health.cycleCount} ${age.toFixed(1)} s ago` };
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(body),
  });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}
