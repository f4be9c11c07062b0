import { WebSocket as UndiciWebSocket } from 'undici';

/**
 * Test setup for msw's WebSocket interception: msw replaces `globalThis.WebSocket`, which Node 20 does not have
 * without `--experimental-websocket`. Installing undici's WHATWG WebSocket (the one Node 22 ships as the
 * global) here means no test needs a flag; on a Node that has a global already, it is left alone.
 */
if (typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'undefined') {
  Object.defineProperty(globalThis, 'WebSocket', { value: UndiciWebSocket, writable: true, configurable: true });
}
