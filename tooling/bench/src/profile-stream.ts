// node --cpu-prof --conditions=source --import tsx src/profile-stream.ts [sqlite|none]
// One loopback run of the bot's stream path (benches/stream-ingest-cpu.ts socketRun) under the profiler, to
// find where ingest CPU goes. Not a benchmark: it prints one rate and leaves the .cpuprofile for reading.
import { socketRun, SYMBOLS } from './benches/stream-ingest-cpu.js';
import { startSimProcess } from './lib/sim-process.js';

const store = process.argv[2] === 'none' ? 'none' : 'sqlite';
const sim = await startSimProcess([
  '--seed',
  '1',
  '--tick-ms',
  '0',
  '--no-auth',
  '--heartbeat-ms',
  '60000',
  '--products',
  SYMBOLS.join(','),
]);
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
