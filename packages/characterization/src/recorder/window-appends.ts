import type { MarkWindows } from '@perps-bot/market-data';
import type { Recorder } from './recorder.js';

/** Records every append to the shared windows as a `windows.append` effect; returns the unsubscribe. */
export function recordWindowAppends(recorder: Recorder, markWindows: MarkWindows): () => void {
  return markWindows.observe((append) =>
    recorder.record('effects', 'windows.append', {
      symbol: append.symbol,
      mark: append.mark,
      limit: append.limit,
      created: append.created,
      dropped: append.dropped,
      size: append.size,
    }),
  );
}
