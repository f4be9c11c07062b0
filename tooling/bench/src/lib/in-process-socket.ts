import type { WebSocketFactory, WebSocketLike } from '@perps-bot/broker-adapters';

type Listener = (event: never) => void;

/** Frames handed to the client per turn of the event loop, as one socket read carries several frames. */
const FRAMES_PER_TURN = 64;

/**
 * An in-process socket for the Coinbase WebSocket client: it opens at once and, after the client's first
 * `subscribe`, delivers `count` text frames made by `frame(i)` (fresh strings, as a socket's are) as `ws` delivers text messages (strings, through the same
 * `message` listener), FRAMES_PER_TURN per `setImmediate`, so the consumer drains between turns as it would
 * between socket reads. Everything after the socket — decoder, sequence tracking, queue, consumers — is the
 * client's own. No kernel, no `ws` framing: the stream path's in-process cost.
 */
export function inProcessSocket(
  count: number,
  frame: (i: number) => string,
): {
  factory: WebSocketFactory;
  delivered: Promise<number>;
} {
  let resolveDelivered: (n: number) => void = () => undefined;
  const delivered = new Promise<number>((resolve) => (resolveDelivered = resolve));
  const factory: WebSocketFactory = () => {
    const listeners = new Map<string, Listener[]>();
    const emit = (type: string, event: unknown) => {
      for (const listener of listeners.get(type) ?? []) (listener as (e: unknown) => void)(event);
    };
    let pumping = false;
    let closed = false;
    const socket: WebSocketLike = {
      readyState: 1,
      binaryType: 'arraybuffer',
      send(data: string) {
        if (pumping || !data.includes('"subscribe"') || !data.includes('"ticker"')) return;
        pumping = true;
        let next = 0;
        const turn = () => {
          if (closed) return;
          const end = Math.min(count, next + FRAMES_PER_TURN);
          for (; next < end; next++) emit('message', { data: frame(next) });
          if (next < count) setImmediate(turn);
          else resolveDelivered(next);
        };
        setImmediate(turn);
      },
      close(code = 1000) {
        if (closed) return;
        closed = true;
        queueMicrotask(() => emit('close', { code }));
      },
      addEventListener(type: string, listener: Listener) {
        listeners.set(type, [...(listeners.get(type) ?? []), listener]);
      },
    } as WebSocketLike;
    setImmediate(() => emit('open', {}));
    return socket;
  };
  return { factory, delivered };
}
