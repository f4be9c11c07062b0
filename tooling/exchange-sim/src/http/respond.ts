import type { ServerResponse } from 'node:http';

// gRPC status codes, which the current error schema carries in `code`.
const GRPC_CODES: Record<string, number> = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  rate_limit_exceeded: 8,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
};

/**
 * The documented error body `{error, code, message, details}`, plus the older `error_details` field some
 * clients still read, so either parser finds a message.
 */
export function errorBody(error: string, message: string): Record<string, unknown> {
  return { error, code: GRPC_CODES[error] ?? 2, message, error_details: message, details: [] };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  sendText(res, status, text, headers);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}
