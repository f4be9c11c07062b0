import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createPinoLogger, toLoggerPort } from './logger.js';

function capture(level = 'info') {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
  const logger = toLoggerPort(createPinoLogger({ level, destination: stream, pretty: false }));
  return { logger, lines, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('app logger', () => {
  it('writes JSON records with the message and fields', async () => {
    const { logger, records } = capture();
    logger.info('Cycle 1 complete', { marks: { 'BTC-PERP': '50000' } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(records()[0]).toMatchObject({ level: 30, msg: 'Cycle 1 complete', marks: { 'BTC-PERP': '50000' } });
  });

  it('redacts secrets wherever they appear in the fields', async () => {
    const { logger, records } = capture();
    logger.warn('connecting', {
      apiPrivateKey: 'PEM-SECRET',
      credentials: { apiKeyName: 'organizations/o/apiKeys/k' },
      request: { jwt: 'eyJ-SECRET' },
    });
    await new Promise((resolve) => setImmediate(resolve));
    const line = JSON.stringify(records()[0]);
    expect(line).not.toMatch(/SECRET|apiKeys\/k/);
    expect(records()[0]).toMatchObject({
      apiPrivateKey: '[redacted]',
      credentials: '[redacted]',
      request: { jwt: '[redacted]' },
    });
  });

  it('writes one "level" key per line: a field called level (the stream level) keeps its value under field_level', async () => {
    const { logger, lines, records } = capture();
    logger.info("Started WS streaming thread for symbols=['BTC-PERP'] level=1", {
      symbols: ['BTC-PERP'],
      level: 1,
      msg: 'x',
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines[0]?.match(/"level":/g)).toHaveLength(1);
    expect(lines[0]?.match(/"msg":/g)).toHaveLength(1);
    expect(records()[0]).toMatchObject({ level: 30, field_level: 1, field_msg: 'x', symbols: ['BTC-PERP'] });
  });

  it('honours the level', async () => {
    const { logger, records } = capture('warn');
    logger.info('hidden');
    logger.debug('hidden too');
    logger.error('shown');
    await new Promise((resolve) => setImmediate(resolve));
    expect(records().map((r) => r.msg)).toEqual(['shown']);
  });
});
