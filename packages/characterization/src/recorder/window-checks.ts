import { Decimal } from '@perps-bot/core';
import { MarkWindows } from '@perps-bot/market-data';

/**
 * What a reader of the windows sees must agree with the snapshot the golden files record: for every symbol
 * (and one that has no window) `has`, `size`, `latest` and `get` tell the same story, `symbols()` lists the
 * snapshot's keys, and `fromRecord` rebuilds the same store. Throws on the first disagreement, so the
 * runners check the read API on every scenario without changing what a golden file holds.
 */
export function checkWindowReads(windows: MarkWindows): void {
  const snapshot = windows.snapshot();
  const fail = (what: string): never => {
    throw new Error(`MarkWindows read API disagrees with its snapshot: ${what}`);
  };
  const symbols = Object.keys(snapshot);
  if (JSON.stringify(windows.symbols()) !== JSON.stringify(symbols))
    fail(`symbols() is ${JSON.stringify(windows.symbols())}, the snapshot has ${JSON.stringify(symbols)}`);
  for (const symbol of symbols) {
    const marks = snapshot[symbol] ?? [];
    const text = (d: Decimal | undefined): string => (d === undefined ? 'undefined' : d.toString());
    if (!windows.has(symbol)) fail(`has(${symbol}) is false`);
    if (windows.size(symbol) !== marks.length)
      fail(`size(${symbol}) is ${windows.size(symbol)}, the window holds ${marks.length}`);
    if (text(windows.latest(symbol)) !== text(marks.at(-1)))
      fail(`latest(${symbol}) is ${text(windows.latest(symbol))}, the newest mark is ${text(marks.at(-1))}`);
    if (JSON.stringify(windows.get(symbol)) !== JSON.stringify(marks)) fail(`get(${symbol}) differs from the snapshot`);
  }
  const absent = '__no-such-symbol__';
  if (
    windows.has(absent) ||
    windows.size(absent) !== 0 ||
    windows.latest(absent) !== undefined ||
    windows.get(absent) !== undefined
  )
    fail('a symbol without a window reads as present');
  if (JSON.stringify(MarkWindows.fromRecord(snapshot, windows.limit).snapshot()) !== JSON.stringify(snapshot))
    fail('fromRecord(snapshot) does not rebuild the same store');
}

/** An observer that unsubscribed must hear nothing more (checked on a scratch store: the bot's is not touched). */
export function checkUnsubscribe(): void {
  const windows = new MarkWindows({ limit: 8 });
  let heard = 0;
  const stop = windows.observe(() => heard++);
  windows.append('PROBE', new Decimal(1));
  stop();
  windows.append('PROBE', new Decimal(2));
  if (heard !== 1)
    throw new Error(`MarkWindows observers: heard ${heard} appends, expected 1 (the unsubscribe leaked)`);
}
