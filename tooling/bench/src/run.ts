// pnpm bench [update-marks] [window-append] [memory] [streaming] [--no-sim]
// Each benchmark prints both sides and their ratio from one run. Never part of `pnpm test`.
import { benchMemory } from './benches/memory.js';
import { benchStreamingIngest } from './benches/streaming-ingest.js';
import { benchUpdateMarks } from './benches/update-marks.js';
import { benchWindowAppend } from './benches/window-append.js';

const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith('--'));
const sim = !args.includes('--no-sim');
const all = names.length === 0;

const benches: [string, () => Promise<boolean>][] = [
  ['update-marks', () => benchUpdateMarks({ sim })],
  ['window-append', () => benchWindowAppend()],
  ['memory', () => benchMemory()],
  ['streaming', () => benchStreamingIngest()],
];

console.log(`perps-bot benchmarks — node ${process.version}, ${process.platform}/${process.arch}, gc exposed: ${typeof globalThis.gc === 'function'}`);
let ok = true;
for (const [name, run] of benches) {
  if (!all && !names.includes(name)) continue;
  const started = performance.now();
  ok = (await run()) && ok;
  console.log(`(${name}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
process.exit(ok ? 0 : 1);
