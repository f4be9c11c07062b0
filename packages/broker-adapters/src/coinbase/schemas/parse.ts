import type { z } from 'zod';
import { CoinbaseMalformedResponseError, type CoinbaseErrorContext } from '../errors.js';

/**
 * Validates an answer against its schema. A mismatch becomes one typed error that names the endpoint and the
 * first bad field, so a partial answer never turns into an `undefined` deep inside the bot.
 */
export function parseResponse<S extends z.ZodTypeAny>(
  schema: S,
  body: unknown,
  endpoint: string,
  context: CoinbaseErrorContext,
): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data as z.output<S>;
  const issue = result.error.issues[0];
  const field = issue ? issue.path.join('.') : '';
  throw new CoinbaseMalformedResponseError(endpoint, field, describeIssue(issue), context);
}

function describeIssue(issue: z.ZodIssue | undefined): string {
  if (!issue) return 'is invalid';
  if (issue.code === 'invalid_type' && issue.received === 'undefined') return 'is missing';
  if (issue.code === 'invalid_type') return `should be ${issue.expected} but is ${issue.received}`;
  if (issue.code === 'invalid_union') {
    // A union failed: report the most specific branch's message rather than zod's "Invalid input".
    const nested = issue.unionErrors.flatMap((e) => e.issues);
    const custom = nested.find((i) => i.code === 'custom');
    if (custom) return custom.message;
    if (nested.length > 0 && nested.every((i) => i.code === 'invalid_type' && i.received === 'undefined'))
      return 'is missing';
    const received = nested.find((i) => i.code === 'invalid_type');
    if (received?.code === 'invalid_type') return `has an unexpected type (${received.received})`;
    return 'has an unexpected shape';
  }
  return issue.message;
}
