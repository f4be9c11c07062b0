// node --cpu-prof --conditions=source --import tsx src/profile-stream.ts [sqlite|none] [in-process]
// Runs of the bot's stream path (benches/stream-ingest-cpu.ts: socketRun over loopback, or inProcessRun with
// `in-process`) under the profiler, to find where ingest CPU goes. Not a benchmark: it prints the rates and leaves
// the .cpuprofile for reading.
import { inProcessRun, socketRun, startIngestSim } from './benches/stream-ingest-cpu.js';

const store = process.argv[2] === 'none' ? 'none' : 'sqlite';
if (process.argv[3] === 'in-process') {
  for (let r = 0; r < 2; r++) {
    const run = await inProcessRun(200_000, store);
    console.log(`${store} in process: ${run.frames} frames, ${(run.frames / run.cpuSeconds).toFixed(0)} frames/CPU-s`);
  }
  process.exit(0);
}
const sim = await startIngestSim();
try {
  for (let r = 0; r < 2; r++) {
    const run = await socketRun(sim, store);
    console.log(
      `${store}: ${run.frames} frames, ${(run.frames / run.cpuSeconds).toFixed(0)} frames/CPU-s, dropped ${run.dropped}`,
    );
  }
} finally {
  await sim.stop();
}
