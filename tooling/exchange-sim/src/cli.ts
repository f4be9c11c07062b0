#!/usr/bin/env node
// exchange-sim: starts the simulator and prints its URLs (and the generated TEST key) as one JSON line on stdout.
// Example: tsx --conditions=source src/cli.ts --seed 1 --latency 20 --port 0
import { parseArgs } from 'node:util';
import type { CloseReason, RestFaults, SimOptions, WsFaults } from './options.js';
import { startExchangeSim } from './server.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    port: { type: 'string', default: '0' },
    latency: { type: 'string', default: '0' },
    'latency-jitter': { type: 'string' },
    products: { type: 'string' },
    'tick-ms': { type: 'string' },
    'heartbeat-ms': { type: 'string' },
    'subscribe-timeout-ms': { type: 'string' },
    'idle-timeout-ms': { type: 'string' },
    'lifetime-ms': { type: 'string' },
    'rate-limit': { type: 'string' },
    'published-rate-limits': { type: 'boolean', default: false },
    'rate-429': { type: 'string' },
    'retry-after': { type: 'string' },
    'rate-5xx': { type: 'string' },
    'rate-malformed': { type: 'string' },
    'rate-timeout': { type: 'string' },
    'timeout-ms': { type: 'string' },
    'rate-lost': { type: 'string' },
    'ws-drop-rate': { type: 'string' },
    'ws-drop-after': { type: 'string' },
    'ws-gap-rate': { type: 'string' },
    'ws-malformed-rate': { type: 'string' },
    'jwt-host': { type: 'string', multiple: true },
    'no-auth': { type: 'boolean', default: false },
    control: { type: 'boolean', default: false },
    'stamp-frames': { type: 'boolean', default: false },
    'parent-pid': { type: 'string' },
  },
  strict: true,
});

function num(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) {
    process.stderr.write(`exchange-sim: --${name} must be a non-negative number (got "${text}")\n`);
    process.exit(2);
  }
  return n;
}

/** Drops the flags that were not given, so that an option left out takes its default. */
const defined = <T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };

const rest: RestFaults = defined({
  rate429: num('rate-429', values['rate-429']),
  retryAfterSeconds: num('retry-after', values['retry-after']),
  rate5xx: num('rate-5xx', values['rate-5xx']),
  rateMalformed: num('rate-malformed', values['rate-malformed']),
  rateTimeout: num('rate-timeout', values['rate-timeout']),
  timeoutMs: num('timeout-ms', values['timeout-ms']),
  rateLostResponse: num('rate-lost', values['rate-lost']),
});
const ws: WsFaults = defined({
  dropRate: num('ws-drop-rate', values['ws-drop-rate']),
  dropAfterMessages: num('ws-drop-after', values['ws-drop-after']),
  gapRate: num('ws-gap-rate', values['ws-gap-rate']),
  malformedRate: num('ws-malformed-rate', values['ws-malformed-rate']),
});
const rateLimit = num('rate-limit', values['rate-limit']);

const options: SimOptions = defined({
  seed: num('seed', values.seed),
  port: num('port', values.port),
  latencyMs: num('latency', values.latency),
  latencyJitterMs: num('latency-jitter', values['latency-jitter']),
  products: values.products
    ?.split(',')
    .map((p) => p.trim())
    .filter((p) => p !== ''),
  tickIntervalMs: num('tick-ms', values['tick-ms']),
  heartbeatIntervalMs: num('heartbeat-ms', values['heartbeat-ms']),
  subscribeTimeoutMs: num('subscribe-timeout-ms', values['subscribe-timeout-ms']),
  idleTimeoutMs: num('idle-timeout-ms', values['idle-timeout-ms']),
  lifetimeMs: num('lifetime-ms', values['lifetime-ms']),
  rateLimit: rateLimit === undefined ? undefined : { perSecond: rateLimit },
  publishedRateLimits: values['published-rate-limits'],
  faults: { rest, ws },
  auth: values['no-auth'] ? false : undefined,
  jwtHosts: values['jwt-host'],
  control: values.control,
  stampFrames: values['stamp-frames'],
});

const sim = await startExchangeSim(options);
process.stdout.write(
  `${JSON.stringify({
    apiUrl: sim.apiUrl,
    brokerageUrl: sim.brokerageUrl,
    wsUrl: sim.wsUrl,
    port: sim.port,
    seed: sim.seed,
    pid: process.pid,
    portfolioId: sim.portfolioId,
    intxPortfolioId: sim.intxPortfolioId,
    // Generated for this run only; a test key, not a Coinbase key.
    testCredentials: sim.credentials
      ? {
          keyName: sim.credentials.keyName,
          privateKeyPem: sim.credentials.privateKeyPem,
          algorithm: sim.credentials.algorithm,
        }
      : null,
  })}\n`,
);

const stop = (reason: CloseReason) => void sim.close(reason);
process.once('SIGTERM', () => stop('signal'));
process.once('SIGINT', () => stop('signal'));
process.once('disconnect', () => stop('parent-exit'));

// Stop when whoever started us is gone: our parent changed (we were re-parented) or --parent-pid died.
const parentAtStart = process.ppid;
const watchedPid = num('parent-pid', values['parent-pid']);
setInterval(() => {
  if (process.ppid !== parentAtStart) return stop('parent-exit');
  if (watchedPid !== undefined && !alive(watchedPid)) stop('parent-exit');
}, 250).unref();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const reason = await sim.closed;
process.stderr.write(`exchange-sim stopped (${reason})\n`);
process.exit(0);
