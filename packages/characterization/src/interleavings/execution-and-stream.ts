import {
  Decimal,
  MemoryEventStore,
  MemoryLogger,
  type MarketDataStreamSource,
  type StreamMessage,
} from '@perps-bot/core';
import type { ExecutionMode } from '@perps-bot/orchestration';
import { StreamingService } from '@perps-bot/market-data';
import fc from 'fast-check';
import { diffJson } from '../diff/diff.js';
import { formatDiff } from '../diff/format.js';
import type { Json } from '../json/canonical.js';
import {
  runExecutionCycle,
  type AnswerGate,
  type CycleInterleaving,
  type RunCycleOptions,
} from '../kinds/execution/run-cycle.js';
import type { ExecutionScenario } from '../kinds/execution/scenario.js';
import type { Recording } from '../kinds/kind.js';

// A trading cycle's execution (decision → pre-trade risk → sizing → order → stores) while the real
// StreamingService appends marks to the same MarkWindows. Every broker answer and every stream frame is held
// until a scheduler releases it, so a mark can land before the decision reads the window, between the
// pre-trade check and the order, while the order's answer is outstanding, or after. The control (frozen
// OrderExecutor) runs under fast-check's scheduler; each candidate then runs under a replay of exactly the
// order in which the control's tasks were released, by label ("placeOrder BTC-PERP #0", "ws #2 ETH-PERP
// 3001"), and must record the same broker calls, effects, final state and timeline.

/** What the stream delivers while the cycles run: ticker frames, each a symbol (index) and a price step. */
interface ExecutionInterleavingPlan {
  readonly scenario: ExecutionScenario;
  readonly frames: readonly { readonly symbol: number; readonly step: number }[];
}

export const arbFrames = fc.array(fc.record({ symbol: fc.nat(3), step: fc.integer({ min: 1, max: 40 }) }), {
  maxLength: 5,
});

/** The frame's price: a step above the symbol's last scripted mark (or 100), so sizing stays sane. */
function framePrice(scenario: ExecutionScenario, symbol: string, step: number): string {
  const base = scenario.marks[symbol]?.at(-1) ?? '100';
  return new Decimal(base).plus(step).toFixed();
}

/** One stream connection whose frames are each released by the gate; open and silent after them until stopped. */
function gatedSource(gate: AnswerGate, frames: readonly { symbol: string; price: string }[]): MarketDataStreamSource {
  const open = (signal?: AbortSignal): AsyncIterable<StreamMessage> => {
    let i = 0;
    const idle = (): Promise<IteratorResult<StreamMessage>> =>
      new Promise((resolve) => {
        if (signal?.aborted) resolve({ value: undefined, done: true });
        else signal?.addEventListener('abort', () => resolve({ value: undefined, done: true }), { once: true });
      });
    return {
      [Symbol.asyncIterator]: () => ({
        next: (): Promise<IteratorResult<StreamMessage>> => {
          const frame = frames[i];
          if (!frame) return idle();
          const n = i++;
          const value = {
            channel: 'ticker',
            product_id: frame.symbol,
            best_bid: frame.price,
            best_ask: frame.price,
          } as unknown as StreamMessage;
          return gate(`ws #${n} ${frame.symbol} ${frame.price}`, async () => ({ value, done: false as const }));
        },
        return: async (): Promise<IteratorResult<StreamMessage>> => ({ value: undefined, done: true }),
      }),
    };
  };
  // The service opens one of the two (the order book first); the connection never ends before stop.
  return {
    streamOrderbook: (_symbols, _level, signal) => open(signal),
    streamTrades: (_symbols, signal) => open(signal),
  };
}

/** The interleaving for one run: the StreamingService on the cycle's windows, its frames behind `gate`. */
function streamBeside(plan: ExecutionInterleavingPlan, gate: AnswerGate): CycleInterleaving {
  const { scenario } = plan;
  const frames = plan.frames.map((f) => {
    const symbol = scenario.symbols[f.symbol % scenario.symbols.length] as string;
    return { symbol, price: framePrice(scenario, symbol, f.step) };
  });
  return {
    gate,
    beside: ({ markWindows, riskManager, clock }) => {
      const streaming = new StreamingService({
        symbols: scenario.symbols,
        source: () => gatedSource(gate, frames),
        markWindows,
        riskManager: () => riskManager,
        eventStore: () => new MemoryEventStore({ clock }),
        logger: new MemoryLogger(),
        clock,
        stopTimeoutMs: 1_000,
      });
      streaming.start(1);
      return () => streaming.stop();
    },
  };
}

/** A gate backed by fast-check's scheduler: the call is made when the scheduler releases its label. */
const schedulerGate =
  (s: fc.Scheduler): AnswerGate =>
  (label, answer) =>
    s.schedule(Promise.resolve(), label).then(answer);

/**
 * Holds every answer until `drive` releases it by label: the replay of an ordering the scheduler chose, or
 * a policy written for one case. Between releases every microtask runs, as under fast-check's scheduler.
 */
class HeldAnswers {
  readonly #pending = new Map<string, () => void>();
  readonly released: string[] = [];

  readonly gate: AnswerGate = (label, answer) =>
    new Promise((resolve, reject) => {
      if (this.#pending.has(label)) reject(new Error(`two tasks with one label: ${label}`));
      this.#pending.set(label, () => void answer().then(resolve, reject));
    });

  /**
   * Releases, while anything is held, the label `pick` chooses among the held ones (in the order they were
   * asked for); undefined or a label not held is a problem, and the oldest held one is released instead.
   */
  async drive(pick: (held: readonly string[]) => string | undefined): Promise<string[]> {
    const problems: string[] = [];
    for (;;) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      const held = [...this.#pending.keys()];
      if (held.length === 0) return problems;
      const wanted = pick(held);
      const label = wanted !== undefined && this.#pending.has(wanted) ? wanted : (held[0] as string);
      if (label !== wanted)
        problems.push(
          `${wanted === undefined ? 'nothing was due' : `${wanted} was not asked for`}; held: ${held.join(', ')}`,
        );
      const release = this.#pending.get(label) as () => void;
      this.#pending.delete(label);
      this.released.push(label);
      release();
    }
  }

  /** Releases exactly `order` (then anything else held, each a problem): a replay of another run's ordering. */
  replay(order: readonly string[]): Promise<string[]> {
    let next = 0;
    return this.drive(() => order[next++]);
  }
}

/** A way of executing: the flag value, and (for a test) a patch that breaks it on purpose. */
export interface InterleavingRunner {
  readonly name: string;
  readonly execution: ExecutionMode;
  readonly patch?: RunCycleOptions['patch'];
}

export const LEGACY: InterleavingRunner = { name: 'legacy-executor', execution: 'legacy' };
export const SERVICE: InterleavingRunner = { name: 'execution-service', execution: 'service' };
export const SHADOW: InterleavingRunner = { name: 'execution-shadow', execution: 'shadow' };

/**
 * Runs the plan's cycles with the runner under the gate, calling `drive` (release what is held until nothing
 * is) again and again until the run has ended: the stream may ask for its next frame after a drive returned,
 * and its stop waits for that frame to be released.
 */
async function runUnder(
  plan: ExecutionInterleavingPlan,
  runner: InterleavingRunner,
  gate: AnswerGate,
  drive: () => Promise<unknown>,
): Promise<Recording> {
  let ended = false;
  const running = runExecutionCycle(plan.scenario, runner.execution, {
    interleave: streamBeside(plan, gate),
    ...(runner.patch ? { patch: runner.patch } : {}),
  }).finally(() => {
    ended = true;
  });
  while (!ended) {
    await drive();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return running;
}

/** The control under fast-check's scheduler, and the order its tasks were released in. */
export async function runControlScheduled(
  s: fc.Scheduler,
  plan: ExecutionInterleavingPlan,
): Promise<{ recording: Recording; order: string[] }> {
  const recording = await runUnder(plan, LEGACY, schedulerGate(s), () => s.waitIdle());
  const order = s
    .report()
    .filter((t) => t.status !== 'pending')
    .map((t) => t.label);
  return { recording, order };
}

/** A run under a drive policy over held answers (a replay, or a case's own policy). */
export async function runHeld(
  plan: ExecutionInterleavingPlan,
  runner: InterleavingRunner,
  pick: (held: readonly string[]) => string | undefined,
): Promise<{ recording: Recording; problems: string[]; released: string[] }> {
  const held = new HeldAnswers();
  const problems: string[] = [];
  const recording = await runUnder(plan, runner, held.gate, async () => {
    problems.push(...(await held.drive(pick)));
  });
  return { recording, problems, released: held.released };
}

/** The short diff between two recordings, '' when they are equal. */
export function recordingDiff(expected: Recording, received: Recording): string {
  const json = (r: Recording): Json => JSON.parse(JSON.stringify({ channels: r.channels, final: r.final })) as Json;
  const differences = diffJson(json(expected), json(received));
  return differences.length === 0 ? '' : formatDiff(differences, { maxPerSection: 4 });
}

/**
 * The property: under every ordering fast-check's scheduler picks for the control, each candidate replayed
 * under the same ordering asks for the same answers and records exactly the control's effects.
 */
export function executionInterleavingProperty(
  scenarios: fc.Arbitrary<ExecutionScenario>,
  candidates: readonly InterleavingRunner[],
) {
  return fc.asyncProperty(fc.scheduler(), scenarios, arbFrames, async (s, scenario, frames) => {
    const plan = { scenario, frames };
    const control = await runControlScheduled(s, plan);
    for (const candidate of candidates) {
      let next = 0;
      const replayed = await runHeld(plan, candidate, () => control.order[next++]);
      const diff = recordingDiff(control.recording, replayed.recording);
      if (replayed.problems.length > 0 || diff !== '')
        throw new Error(
          `${candidate.name} under the control's ordering (${control.order.join(' → ')}):\n${[...replayed.problems, diff].join('\n')}`,
        );
    }
  });
}
