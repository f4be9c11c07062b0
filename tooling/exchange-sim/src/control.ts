import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody, sendJson } from './http/respond.js';
import type { Faults } from './options.js';
import type { SimLedgerView } from './ledger-view.js';
import type { SimStats } from './stats.js';
import type { PumpOptions } from './ws/feed.js';

interface ControlTarget {
  stats(): SimStats;
  faults(): Faults;
  setFaults(faults: Faults): void;
  advance(steps?: number): void;
  pump(options: PumpOptions): Promise<number>;
  ledger(): SimLedgerView;
}

const CONTROL_PREFIX = '/_sim/';

/**
 * `/_sim/*`: drives a simulator running in another process (the CLI). Not part of the Coinbase API, never
 * authenticated, only mounted when the simulator is started with `control: true`.
 */
export function controlHandler(
  target: ControlTarget,
): (req: IncomingMessage, res: ServerResponse, url: URL, body: unknown) => boolean {
  return (req, res, url, body) => {
    if (!url.pathname.startsWith(CONTROL_PREFIX)) return false;
    const action = `${req.method ?? 'GET'} ${url.pathname.slice(CONTROL_PREFIX.length)}`;
    const b = (body ?? {}) as Record<string, unknown>;
    switch (action) {
      case 'GET stats':
        sendJson(res, 200, target.stats());
        return true;
      case 'GET ledger':
        sendJson(res, 200, target.ledger());
        return true;
      case 'GET faults':
        sendJson(res, 200, target.faults());
        return true;
      case 'POST faults':
        target.setFaults(b as Faults);
        sendJson(res, 200, target.faults());
        return true;
      case 'POST advance':
        target.advance(typeof b.steps === 'number' ? b.steps : 1);
        sendJson(res, 200, { ok: true });
        return true;
      case 'POST pump': {
        const count = typeof b.count === 'number' ? b.count : 0;
        const options: PumpOptions = {
          count,
          ...(Array.isArray(b.productIds) ? { productIds: b.productIds as string[] } : {}),
          ...(typeof b.ratePerSecond === 'number' ? { ratePerSecond: b.ratePerSecond } : {}),
        };
        target.pump(options).then(
          (sent) => sendJson(res, 200, { sent }),
          (error: unknown) => sendJson(res, 500, errorBody('INTERNAL', String(error))),
        );
        return true;
      }
      default:
        sendJson(res, 404, errorBody('NOT_FOUND', `no control action ${action}`));
        return true;
    }
  };
}
