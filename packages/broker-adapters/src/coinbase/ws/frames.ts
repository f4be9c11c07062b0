import type { Logger } from '@perps-bot/core';
import type WebSocket from 'ws';
import { envelopeSchema, errorFrameSchema, type WsEnvelope } from './messages.js';

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
export function readFrame(data: WebSocket.RawData, logger: Logger): FrameRead {
  const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const match = SEQUENCE_TEXT.exec(text);
    const sequenceNum = match ? Number(match[1]) : undefined;
    logger.warn('Ignoring a Coinbase WebSocket frame that is not JSON', { bytes: text.length, sequenceNum });
    return { kind: 'skipped', sequenceNum };
  }
  const error = errorFrameSchema.safeParse(json);
  if (error.success) {
    logger.warn(`Coinbase WebSocket error frame: ${error.data.message}`, {});
    return { kind: 'skipped', sequenceNum: undefined };
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) {
    const issue = envelope.error.issues[0];
    const seq = (json as { sequence_num?: unknown } | null)?.sequence_num;
    const sequenceNum = typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0 ? seq : undefined;
    logger.warn('Ignoring a Coinbase WebSocket frame of unexpected shape', {
      field: issue?.path.join('.') ?? '',
      problem: issue?.message ?? '',
      sequenceNum,
    });
    return { kind: 'skipped', sequenceNum };
  }
  return { kind: 'envelope', envelope: envelope.data };
}
