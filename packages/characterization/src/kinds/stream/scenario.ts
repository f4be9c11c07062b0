import { z } from 'zod';
import type { Json } from '../../json/canonical.js';
import { riskScript } from '../mark-update/scenario.js';

// A stream scenario is data, like a mark-update one: the bot's symbols and MA lengths, the stream level, the
// messages each connection delivers (any JSON: tickers, heartbeats, garbage), and the failures around them.
// Steps are the ScriptedStreamSource's (market-data), so the same script drives tests, benchmarks and goldens.

const json: z.ZodType<Json> = z.lazy(() =>
  z.union([z.string(), z.number().finite(), z.boolean(), z.null(), z.array(json), z.record(z.string(), json)]),
);

/** One scripted step: deliver a message, let time pass, drop the socket (the iterator throws) or end the stream. */
export const streamStep = z.union([
  z.object({ message: json }).strict(),
  z.object({ gapMs: z.number().int().positive() }).strict(),
  z.object({ disconnect: z.string().min(1) }).strict(),
  z.object({ end: z.literal(true) }).strict(),
]);

/** When the event store's appendMetric throws: on given calls (0-based, every metric counted) or for event types. */
export const eventStoreScript = z
  .object({
    message: z.string().min(1),
    throwOnCalls: z.array(z.number().int().nonnegative()).optional(),
    throwForEvents: z.array(z.string().min(1)).optional(),
  })
  .strict();

const stepAt = z.object({ connection: z.number().int().nonnegative(), step: z.number().int().nonnegative() }).strict();

/**
 * What the bot does to its stream besides the first start (lifecycle steps): call startStreaming() again when
 * the source reaches a step (a duplicate start), or stopStreaming() while the StreamingService waits before
 * its n-th reopen attempt (the legacy loop never waits, so there it never happens), or start again as soon as
 * the stopped loop has written ws_stream_exit, before the stop has returned (a restart racing the stop).
 */
const lifecycleStep = z.union([
  z.object({ startAgainAt: stepAt }).strict(),
  z.object({ stopInReconnectWait: z.number().int().min(1) }).strict(),
  z.object({ startWhenStopExits: z.literal(true) }).strict(),
]);

/** A logger whose `level` method throws `message` for records starting with `startsWith` (a broken log sink). */
export const loggerScript = z
  .object({
    level: z.enum(['debug', 'info', 'warn', 'error']),
    startsWith: z.string().min(1),
    message: z.string().min(1),
  })
  .strict();

export const streamScenarioSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'kebab-case'),
    description: z.string().min(1),
    /** The bot's symbols: what the stream is opened for (messages may name others); none: no stream starts. */
    symbols: z.array(z.string().min(1)),
    shortMa: z.number().int().min(1),
    longMa: z.number().int().min(1),
    /** BotConfig.streamLevel (0 means 1). */
    level: z.number().int().min(0),
    /** What the 1st, 2nd, … successful open delivers. After its last step a connection stays open and silent. */
    connections: z.array(z.array(streamStep)),
    /** 'orderbook': streamOrderbook throws on open (trades is used); 'both': both throw. */
    openFails: z.enum(['none', 'orderbook', 'both']).optional(),
    /** Opens beyond `connections`: 'idle' (default) silent until stopped, 'end' ends at once, 'fail' throws on open. */
    whenExhausted: z.enum(['idle', 'end', 'fail']).optional(),
    /** The StreamingService's reopen attempts before it gives up (default: unbounded). The legacy loop never reopens. */
    reconnect: z
      .object({ maxAttempts: z.number().int().min(1) })
      .strict()
      .optional(),
    /** The bot stops streaming when the source reaches this step (which is still delivered, as a frame in flight is). */
    stopAt: stepAt.optional(),
    lifecycle: z.array(lifecycleStep).optional(),
    /** Collaborators the bot's registry does not have (the reference always had both; our registry may not). */
    without: z.array(z.enum(['riskManager', 'eventStore'])).optional(),
    logger: loggerScript.optional(),
    /** The risk manager's recordMarkUpdate throws (calls counted over all symbols). */
    risk: riskScript.optional(),
    eventStore: eventStoreScript.optional(),
    differsUnder: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((scenario, ctx) => {
    scenario.connections.forEach((steps, c) => {
      const last = steps.findIndex((s) => 'disconnect' in s || 'end' in s);
      if (last >= 0 && last < steps.length - 1) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['connections', c, last + 1],
          message: 'unreachable: the connection has already ended',
        });
      }
    });
    if ((scenario.whenExhausted === 'end' || scenario.whenExhausted === 'fail') && scenario.reconnect === undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['reconnect'],
        message: `whenExhausted "${scenario.whenExhausted}" needs reconnect.maxAttempts, or the StreamingService would reopen it for ever`,
      });
    }
    const checkAt = (at: { connection: number; step: number } | undefined, path: (string | number)[]): void => {
      if (at && scenario.connections[at.connection]?.[at.step] === undefined) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path,
          message: `connection ${at.connection} has no step ${at.step}`,
        });
      }
    };
    checkAt(scenario.stopAt, ['stopAt']);
    scenario.lifecycle?.forEach((l, i) => {
      if ('startAgainAt' in l) checkAt(l.startAgainAt, ['lifecycle', i, 'startAgainAt']);
    });
    const ends = scenario.connections.some((steps) => steps.some((st) => 'disconnect' in st || 'end' in st));
    if (scenario.without?.includes('eventStore') && (ends || scenario.whenExhausted !== undefined)) {
      // The run ends at ws_stream_exit, idle, or the scripted stop; without a store it cannot see the exit.
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['without'],
        message: 'without an event store every connection must end idle (no disconnect or end, whenExhausted unset)',
      });
    }
  });

export type StreamScenarioStep = z.infer<typeof streamStep>;
export type EventStoreScript = z.infer<typeof eventStoreScript>;
export type LoggerScript = z.infer<typeof loggerScript>;
export type StreamScenario = z.infer<typeof streamScenarioSchema>;

export function parseStreamScenario(value: unknown): StreamScenario {
  const result = streamScenarioSchema.safeParse(value);
  if (!result.success) {
    const name =
      typeof (value as { name?: unknown })?.name === 'string' ? (value as { name: string }).name : '<unnamed>';
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`stream scenario "${name}" is invalid: ${issues}`);
  }
  return value as StreamScenario;
}
