import type { Logger } from '@perps-bot/core';
import type WebSocket from 'ws';
import { asEnvelope, envelopeSchema, errorFrameSchema, isRecord, type WsEnvelope } from './messages.js';

/** What one frame turned out to be: an envelope, or something skipped (with its sequence number if it showed one). */
export type FrameRead =
  | { readonly kind: 'envelope'; readonly envelope: WsEnvelope }
  | { readonly kind: 'skipped'; readonly sequenceNum: number | undefined };

const SEQUENCE_TEXT = /"sequence_num"\s*:\s*(\d+)/;

/**
 * Parses one frame; anything unreadable is logged as one warning and skipped, so the stream goes on. A frame
 * cut short usually still shows its `sequence_num` (Coinbase writes it before the events): it is returned, so
 * the caller counts that number as received rather than reporting the same frame again as a sequence gap.
 */
export function readFrame(data: WebSocket.RawData | string, logger: Logger): FrameRead {
  const text = frameText(data);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const match = SEQUENCE_TEXT.exec(text);
    const sequenceNum = match ? Number(match[1]) : undefined;
    logger.warn('Ignoring a Coinbase WebSocket frame that is not JSON', { bytes: text.length, sequenceNum });
    return { kind: 'skipped', sequenceNum };
  }
  // Only a frame that says `"type":"error"` can be an error frame: the schema runs for those alone, so a
  // normal frame never pays for a failed parse (it used to build a ZodError on every frame).
  if (isRecord(json) && json.type === 'error') {
    const error = errorFrameSchema.safeParse(json);
    if (error.success) {
      logger.warn(`Coinbase WebSocket error frame: ${error.data.message}`, {});
      return { kind: 'skipped', sequenceNum: undefined };
    }
  }
  // Every frame is validated: the hand-written check accepts exactly what envelopeSchema accepts, without
  // copying the frame; whatever it refuses goes through the schema, whose first issue names the problem.
  const envelope = asEnvelope(json);
  if (envelope) return { kind: 'envelope', envelope };
  const parsed = envelopeSchema.safeParse(json);
  if (parsed.success) return { kind: 'envelope', envelope: parsed.data };
  const issue = parsed.error.issues[0];
  const seq = (json as { sequence_num?: unknown } | null)?.sequence_num;
  const sequenceNum = typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0 ? seq : undefined;
  logger.warn('Ignoring a Coinbase WebSocket frame of unexpected shape', {
    field: issue?.path.join('.') ?? '',
    problem: issue?.message ?? '',
    sequenceNum,
  });
  return { kind: 'skipped', sequenceNum };
}

/** The frame as text without copying it first (a Buffer decodes in place; `ws` hands fragments as an array). */
function frameText(data: WebSocket.RawData | string): string {
  if (typeof data === 'string') return data;
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
