import { Decimal } from '@perps-bot/core';
import { fmt, table } from '../lib/table.js';
import { windowWriter } from '../lib/window-writer.js';

const TICKS = 10_000_000;
const SYMBOLS = Array.from({ length: 50 }, (_, i) => `MEM${String(i).padStart(2, '0')}-PERP-INTX`);
const SAMPLES = 20;

const heapMb = (): number => {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

/**
 * 10 million marks through MarketDataService.updateMarkWindow (the path streaming uses), a new Decimal per
 * tick, round-robin over 50 symbols. With the trim the store holds 50 × limit marks whatever the tick count,
 * so the heap after a GC must stay flat.
 */
export async function benchMemory(): Promise<boolean> {
  const gc = typeof globalThis.gc === 'function';
  console.log(
    `\n## Memory: ${fmt(TICKS)} ticks through MarketDataService.updateMarkWindow, ${SYMBOLS.length} symbols${gc ? '' : ' (run with --expose-gc for exact figures)'}`,
  );
  const { markWindows, service } = windowWriter(SYMBOLS);
  const samples: { ticks: number; mb: number }[] = [{ ticks: 0, mb: heapMb() }];
  const every = TICKS / SAMPLES;
  const started = performance.now();
  for (let i = 1; i <= TICKS; i++) {
    service.updateMarkWindow(SYMBOLS[i % SYMBOLS.length] as string, new Decimal(50_000 + (i % 10_000) / 100));
    if (i % every === 0) samples.push({ ticks: i, mb: heapMb() });
  }
  const seconds = (performance.now() - started) / 1000;
  const held = SYMBOLS.reduce((sum, s) => sum + markWindows.size(s), 0);
  // The first sample is taken before any window exists; the store's steady state starts after the first interval.
  const steady = samples.slice(1);
  const firstMb = (steady[0] as { mb: number }).mb;
  const lastMb = (steady[steady.length - 1] as { mb: number }).mb;
  const maxMb = Math.max(...steady.map((s) => s.mb));
  const shown = [samples[0], ...steady.filter((_, i) => i % 4 === 0 || i === steady.length - 1)];
  console.log(
    table(
      ['ticks', 'heapUsed MB'],
      shown.map((s) => [fmt(s!.ticks), fmt(s!.mb, 2)]),
    ),
  );
  console.log(
    table(
      [
        'heap first MB',
        'heap last MB',
        'heap max MB',
        'growth last ÷ first',
        'marks held',
        'expected (50 × limit 55)',
        'ticks/s',
      ],
      [
        [
          fmt(firstMb, 2),
          fmt(lastMb, 2),
          fmt(maxMb, 2),
          `${fmt(lastMb / firstMb, 3)}×`,
          held,
          SYMBOLS.length * markWindows.limit,
          TICKS / seconds,
        ],
      ],
    ),
  );
  const flat = lastMb / firstMb < 1.1 && held === SYMBOLS.length * markWindows.limit;
  console.log(`target flat heap (growth < 1.1×, windows bounded): ${flat ? 'met' : 'MISSED'}`);
  return true;
}
