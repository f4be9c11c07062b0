import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JwtCheck } from '../auth.js';
import type { RestFaults } from '../options.js';
import { makeHostile, hostileKindFor } from '../hostile.js';
import { chance, draw } from '../random.js';
import type { SimContext } from '../routes/context.js';
import { matchRoute } from '../routes/index.js';
import type { StatsRecorder } from '../stats.js';
import { malformText, planRestFaults, type TokenBucket } from './faults.js';
import { errorBody, sendJson, sendText } from './respond.js';

interface RestHandlerDeps {
  readonly ctx: SimContext;
  readonly stats: StatsRecorder;
  readonly faults: () => RestFaults | undefined;
  readonly latencyMs: (route: string) => number;
  readonly latencyJitterMs: number;
  /** Verifies a bearer token against the accepted `uri` values; undefined when auth is off. */
  readonly verify: ((token: string, uris: readonly string[]) => Promise<JwtCheck>) | undefined;
  readonly jwtHosts: readonly string[];
  /** The token buckets a request on a route with this access must pass, in order (none: no limit). */
  readonly buckets: (access: 'private' | 'public') => readonly TokenBucket[];
  readonly retryAfterSeconds: () => number;
  readonly timeoutMs: () => number;
  readonly status5xx: () => number;
  /** Timers the simulator clears when it stops (latency waits, hung requests). */
  readonly timers: Set<NodeJS.Timeout>;
  /** Answers `/_sim/*` when control is on; returns false for other paths. */
  readonly control: ((req: IncomingMessage, res: ServerResponse, url: URL, body: unknown) => boolean) | undefined;
  readonly touch: () => void;
}

const MAX_BODY = 1 << 20;
/** The routes whose answers carry prices and times a bot turns into marks. */
const HOSTILE_ROUTES = new Set(['products', 'product', 'ticker', 'best_bid_ask']);

/**
 * One REST request: route, latency, rate limit, JWT, injected faults, the handler, then the answer (maybe
 * broken on purpose). Every injected fault is recorded once in the stats with the route and request number.
 */
export function createRestHandler(deps: RestHandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { ctx, stats } = deps;
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      if (ms <= 0) return resolve();
      const t = setTimeout(() => {
        deps.timers.delete(t);
        resolve();
      }, ms);
      deps.timers.add(t);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    deps.touch();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const rawBody = await readBody(req);
    if (rawBody === undefined) return sendJson(res, 413, errorBody('INVALID_ARGUMENT', 'request body too large'));
    let body: unknown;
    if (rawBody !== '') {
      try {
        body = JSON.parse(rawBody);
      } catch {
        return sendJson(res, 400, errorBody('INVALID_ARGUMENT', 'request body is not valid JSON'));
      }
    }
    if (deps.control?.(req, res, url, body)) return;

    const matched = matchRoute(method, url.pathname);
    if (!matched) return sendJson(res, 404, errorBody('NOT_FOUND', `no route for ${method} ${url.pathname}`));
    if ('methodNotAllowed' in matched)
      return sendJson(res, 405, errorBody('INVALID_ARGUMENT', `${method} is not allowed on ${url.pathname}`));
    const { route, params } = matched;
    const n = stats.request(route.name);

    const jitter =
      deps.latencyJitterMs > 0 ? Math.floor(draw(ctx.seed, route.name, n, 'jitter') * deps.latencyJitterMs) : 0;
    await wait(deps.latencyMs(route.name) + jitter);

    const headers: Record<string, string> = { 'x-request-id': `sim-${route.name}-${n}` };
    for (const bucket of deps.buckets(route.access)) {
      const take = bucket.take();
      Object.assign(headers, {
        'x-ratelimit-remaining': String(take.remaining),
        'x-ratelimit-reset': String(take.resetSeconds),
      });
      if (!take.ok) {
        stats.fault({ kind: 'rate_limited', route: route.name, requestNo: n });
        return sendJson(res, 429, errorBody('rate_limit_exceeded', 'Too many requests'), {
          ...headers,
          'retry-after': String(take.resetSeconds),
        });
      }
    }

    if (route.access === 'private' && deps.verify) {
      const auth = req.headers.authorization ?? '';
      const token = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length).trim() : '';
      const hosts = [req.headers.host ?? '', ...deps.jwtHosts].filter((h) => h !== '');
      const check =
        token === ''
          ? { ok: false, reason: 'missing bearer token' }
          : await deps.verify(
              token,
              hosts.map((h) => `${method} ${h}${url.pathname}`),
            );
      if (!check.ok) {
        stats.fault({ kind: 'auth_failed', route: route.name, requestNo: n, detail: check.reason ?? 'invalid token' });
        return sendJson(
          res,
          401,
          errorBody('UNAUTHENTICATED', `Unauthorized: ${check.reason ?? 'invalid token'}`),
          headers,
        );
      }
    }

    const plan = planRestFaults(ctx.seed, deps.faults(), route.name, n, method);
    if (plan.before === 'timeout') {
      stats.fault({ kind: 'timeout', route: route.name, requestNo: n });
      // Hang past any client timeout, then cut the connection without an answer.
      const t = setTimeout(() => {
        deps.timers.delete(t);
        res.destroy();
      }, deps.timeoutMs());
      deps.timers.add(t);
      return;
    }
    if (plan.before === '429') {
      stats.fault({ kind: 'http_429', route: route.name, requestNo: n });
      const retryAfter = String(deps.retryAfterSeconds());
      return sendJson(res, 429, errorBody('rate_limit_exceeded', 'Too many requests'), {
        ...headers,
        'retry-after': retryAfter,
      });
    }
    if (plan.before === '5xx') {
      const status = deps.status5xx();
      stats.fault({ kind: 'http_5xx', route: route.name, requestNo: n, detail: String(status) });
      return sendJson(
        res,
        status,
        errorBody(status === 500 ? 'INTERNAL' : 'UNAVAILABLE', 'injected server error'),
        headers,
      );
    }

    const result = route.handler(ctx, { method, params, query: url.searchParams, body });
    if (plan.lostResponse) {
      const cut = deps.faults()?.lostResponseKind === 'cut';
      stats.fault({ kind: 'lost_response', route: route.name, requestNo: n, ...(cut ? { detail: 'cut' } : {}) });
      // Carried out, then the answer never arrives: a 503 from the edge, or the connection simply cut.
      if (cut) return void res.destroy();
      return sendJson(res, 503, errorBody('UNAVAILABLE', 'upstream connect error'), headers);
    }
    let answer: unknown = result.body;
    if (
      result.status < 300 &&
      HOSTILE_ROUTES.has(route.name) &&
      chance(deps.faults()?.rateHostile, ctx.seed, route.name, n, 'hostile')
    ) {
      const kind = hostileKindFor(draw(ctx.seed, route.name, n, 'hostile-kind'));
      stats.fault({ kind: 'hostile_value', route: route.name, requestNo: n, detail: kind });
      answer = makeHostile(answer, kind);
    }
    const text = JSON.stringify(answer);
    if (plan.malformed && result.status < 300) {
      stats.fault({ kind: 'malformed_body', route: route.name, requestNo: n, detail: plan.malformed });
      return sendText(res, result.status, malformText(text, plan.malformed), headers);
    }
    sendText(res, result.status, text, headers);
  };

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug in the simulator must show as a 500 with a reason, never as a hung request.
      sendJson(
        res,
        500,
        errorBody('INTERNAL', `simulator error: ${error instanceof Error ? error.message : String(error)}`),
      );
    });
  };
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
