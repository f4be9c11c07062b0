import { ConfigError } from '@perps-bot/core';
import WebSocket from 'ws';

/** The WHATWG WebSocket states the client reads (the same numbers in every implementation). */
export const OPEN = 1;

/**
 * The part of the WHATWG `WebSocket` the client uses. Node 22's global, undici's `WebSocket`, a browser's, the
 * one msw's interceptor substitutes, and `ws`'s own class all have it; so the client runs on any of them.
 */
export interface WebSocketLike {
  readonly readyState: number;
  binaryType?: string;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'error', listener: (event: { message?: string; error?: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number }) => void): void;
}

/** Opens a socket to `url`. */
export type WebSocketFactory = (url: string) => WebSocketLike;

/**
 * The default: the `ws` package. Node 20 (the project's floor) has no global WebSocket without a flag, and `ws`
 * also gives what the WHATWG API lacks — a handshake timeout, a frame-size cap and `terminate()` for a peer that
 * stopped answering. Tests that script the exchange with msw inject a WHATWG socket instead.
 */
export function wsPackageFactory(options: { handshakeTimeoutMs: number; maxPayloadBytes: number }): WebSocketFactory {
  return (url) =>
    new WebSocket(url, { handshakeTimeout: options.handshakeTimeoutMs, maxPayload: options.maxPayloadBytes });
}

/**
 * A WHATWG socket looked up on `globalThis` at each dial, so an interceptor that replaced the global (msw) after
 * this module loaded still sees the connection. Throws when the runtime has none (Node 20 without a polyfill).
 */
export const globalWebSocketFactory: WebSocketFactory = (url) => {
  const Ctor = (globalThis as { WebSocket?: new (url: string) => WebSocketLike }).WebSocket;
  if (!Ctor)
    throw new ConfigError('webSocketFactory', 'This runtime has no global WebSocket; use the default (ws) factory');
  return new Ctor(url);
};

/** Drops a connection now: `terminate()` where the implementation has it, else a close the peer need not answer. */
export function abandon(socket: WebSocketLike): void {
  const terminate = (socket as { terminate?: () => void }).terminate;
  if (typeof terminate === 'function') terminate.call(socket);
  else socket.close(4000, 'abandoned');
}

/** A text or binary frame's payload as the Buffer the frame reader takes. */
export function frameBytes(data: unknown): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data as Buffer[]);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(String(data), 'utf8');
}
