// A child process for the kill -9 test: appends `before` ticks, one order event (durable per append), then
// `after` ticks, prints "ready" and idles until it is killed. Its flush timer is an hour, so only full batches
// are committed: what a kill loses is exactly what the batch size leaves pending.
import { SqliteEventStore } from '../sqlite-event-store.js';

const [file, maxRows, before, after] = process.argv.slice(2);
const store = new SqliteEventStore({
  file: file as string,
  tickBatch: { maxRows: Number(maxRows), flushMs: 3_600_000 },
});
let i = 0;
for (; i < Number(before); i++) store.appendMetric('perps_bot', { event_type: 'ws_mark_update', symbol: 'BTC-USD', i });
store.appendEvent('order_submitted', 'perps_bot', { after: i });
for (const end = i + Number(after); i < end; i++)
  store.appendMetric('perps_bot', { event_type: 'ws_mark_update', symbol: 'BTC-USD', i });
process.stdout.write(`ready ${i} pending ${store.pendingTicks}\n`);
setInterval(() => undefined, 60_000);
