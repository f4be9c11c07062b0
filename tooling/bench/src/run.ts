// pnpm bench [update-marks-shipped] [stream-ingest] [update-marks] [window-append] [memory] [memory-stream] [streaming] [--no-sim]
// Each benchmark prints both sides and their ratio from one run. Never part of `pnpm test`.
import { benchMemory } from './benches/memory.js';
import { benchMemoryStream } from './benches/memory-stream.js';
import { benchStreamIngestCpu } from './benches/stream-ingest-cpu.js';
import { benchStreamingIngest } from './benches/streaming-ingest.js';
import { benchUpdateMarks } from './benches/update-marks.js';
import { benchUpdateMarksShipped } from './benches/update-marks-shipped.js';
import { verdicts } from './lib/verdict.js';
import { benchWindowAppend } from './benches/window-append.js';

const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith('--'));
const sim = !args.includes('--no-sim');
const all = names.length === 0;

const benches: [string, () => Promise<boolean>][] = [
  // The shipped defaults first: what the bot runs, before any configuration it does not ship with.
  ...(sim ? ([['update-marks-shipped', () => benchUpdateMarksShipped()]] as [string, () => Promise<boolean>][]) : []),
  ['update-marks', () => benchUpdateMarks({ sim })],
  ['window-append', () => benchWindowAppend()],
  ['stream-ingest', () => (sim ? benchStreamIngestCpu() : Promise.resolve(true))],
  ['memory', () => benchMemory()],
  ['memory-stream', () => benchMemoryStream()],
  ['streaming', () => benchStreamingIngest()],
];

console.log(
  `perps-bot benchmarks — node ${process.version}, ${process.platform}/${process.arch}, gc exposed: ${typeof globalThis.gc === 'function'}`,
);
let ok = true;
for (const [name, run] of benches) {
  if (!all && !names.includes(name)) continue;
  const started = performance.now();
  ok = (await run()) && ok;
  console.log(`(${name}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
if (verdicts.length > 0) {
  console.log('\n## Verdicts');
  for (const v of verdicts) console.log(`${v.met ? 'MET   ' : 'MISSED'}  ${v.goal} — ${v.figure}`);
}
process.exit(ok ? 0 : 1);
