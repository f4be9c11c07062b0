import { Decimal } from '@perps-bot/core';
import { MarkWindows } from '@perps-bot/market-data';
import { ratio } from '../lib/stats.js';
import { fmt, table, times } from '../lib/table.js';

const SIZES = [30, 200, 2000] as const;
const RUN_MS = 600;
const POOL = Array.from({ length: 4096 }, (_, i) => new Decimal(50_000 + i / 100));

/** Appends for about RUN_MS (after a warm-up), in batches so the clock is read rarely; returns appends/s. */
function opsPerSecond(append: (mark: Decimal) => void): number {
  const batch = 5_000;
  let i = 0;
  const run = (ms: number) => {
    const started = performance.now();
    let ops = 0;
    while (performance.now() - started < ms) {
      for (let k = 0; k < batch; k++) append(POOL[i++ & 4095] as Decimal);
      ops += batch;
    }
    return (ops / (performance.now() - started)) * 1000;
  };
  run(RUN_MS / 4);
  return run(RUN_MS);
}

/** The ring/offset buffer behind MarkWindows.append. */
function ring(size: number): () => number {
  return () => {
    const windows = new MarkWindows({ limit: size });
    for (let k = 0; k < size; k++) windows.append('BTC-PERP-INTX', POOL[k] as Decimal);
    const ops = opsPerSecond((mark) => windows.append('BTC-PERP-INTX', mark));
    if (windows.size('BTC-PERP-INTX') !== size)
      throw new Error(`ring window holds ${windows.size('BTC-PERP-INTX')}, expected ${size}`);
    return ops;
  };
}

/** The reference's way: a new array per append, then a slice when it is too long. Same map lookup as the store. */
function copyAndSlice(size: number): () => number {
  return () => {
    const windows = new Map<string, Decimal[]>([['BTC-PERP-INTX', POOL.slice(0, size)]]);
    const ops = opsPerSecond((mark) => {
      let arr = windows.get('BTC-PERP-INTX') ?? [];
      arr = [...arr, mark];
      if (arr.length > size) arr = arr.slice(-size);
      windows.set('BTC-PERP-INTX', arr);
    });
    if (windows.get('BTC-PERP-INTX')?.length !== size) throw new Error('copy-and-slice window has the wrong size');
    return ops;
  };
}

export async function benchWindowAppend(): Promise<boolean> {
  console.log(`\n## Mark-window append: MarkWindows.append (offset buffer) vs copy-and-slice, ~${RUN_MS} ms per cell`);
  const rows: (string | number)[][] = [];
  const ringOps: number[] = [];
  const copyOps: number[] = [];
  for (const size of SIZES) {
    const r = ring(size)();
    const c = copyAndSlice(size)();
    ringOps.push(r);
    copyOps.push(c);
    rows.push([size, r, 1e9 / r, c, 1e9 / c, times(ratio(r, c))]);
  }
  console.log(
    table(
      [
        'window',
        'ring appends/s',
        'ring ns/append',
        'copy+slice appends/s',
        'copy+slice ns/append',
        'ring ÷ copy+slice',
      ],
      rows,
    ),
  );
  const first = 0;
  const last = SIZES.length - 1;
  const ringFlat = ratio(ringOps[first] as number, ringOps[last] as number);
  const copyGrowth = ratio(copyOps[first] as number, copyOps[last] as number);
  console.log(
    `cost growth from ${SIZES[first]} to ${SIZES[last]} marks: ring ${fmt(ringFlat, 2)}× (flat ≈ 1×), copy-and-slice ${fmt(copyGrowth, 1)}×` +
      ` — target flat cost: ${ringFlat < 2 ? 'met' : 'MISSED'}`,
  );
  return true;
}
