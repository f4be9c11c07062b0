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

export const streamScenarioSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'kebab-case'),
    description: z.string().min(1),
    /** The bot's symbols: what the stream is opened for (messages may name others). */
    symbols: z.array(z.string().min(1)).min(1),
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
    stopAt: z
      .object({ connection: z.number().int().nonnegative(), step: z.number().int().nonnegative() })
      .strict()
      .optional(),
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
    const stop = scenario.stopAt;
    if (stop && scenario.connections[stop.connection]?.[stop.step] === undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['stopAt'],
        message: `connection ${stop.connection} has no step ${stop.step}`,
      });
    }
  });

export type StreamScenarioStep = z.infer<typeof streamStep>;
export type EventStoreScript = z.infer<typeof eventStoreScript>;
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
