import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startExchangeSim, type ExchangeSim } from '@perps-bot/exchange-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli } from 'perps-bot/testing';

// The bot as a child process against the simulator with its default products, as the app README's simulator
// command runs it: which symbols it trades when none are given, and what an unknown one does.
let sim: ExchangeSim;
let dataDir: string;

beforeAll(async () => {
  sim = await startExchangeSim({ seed: 3 });
  dataDir = mkdtempSync(join(tmpdir(), 'perps-bot-symbols-'));
});

afterAll(async () => {
  await sim?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const run = (extra: string[]) =>
  startCli(
    [
      'run',
      '--profile',
      'dev',
      '--broker',
      'coinbase',
      '--api-url',
      sim.apiUrl,
      '--ws-url',
      sim.wsUrl,
      '--single-cycle',
      '--data-dir',
      dataDir,
      ...extra,
    ],
    {},
    60_000,
  ).done;

describe('symbols with --broker coinbase against the simulator', () => {
  it('with no symbols given, trades the CFM defaults and prints a mark for each', async () => {
    const result = await run([]);
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    expect(result.stdout.match(/^\S+(?=\s+mark=)/gm)).toEqual(['BIP-20DEC30-CDE', 'ETP-20DEC30-CDE']);
  }, 70_000);

  it('stops with exit 2 on a symbol the exchange does not list, naming it and the closest listed ids', async () => {
    const result = await run(['--symbols', 'BIP-20DEC31-CDE']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'unknown symbol BIP-20DEC31-CDE: the coinbase broker does not list it. Closest listed: BIP-20DEC30-CDE',
    );
  }, 70_000);
});
