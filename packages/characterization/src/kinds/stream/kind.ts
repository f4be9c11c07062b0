import type { KindDefinition, Runner } from '../kind.js';
import { STREAM_IGNORE_RULES } from './ignore-rules.js';
import { runStreamOnBot, STREAM_CHANNELS } from './run-on-bot.js';
import { parseStreamScenario, type StreamScenario } from './scenario.js';

export const legacyStreamRunner: Runner<StreamScenario> = {
  name: 'legacy-loop',
  description: 'The legacy stream loop inside PerpsBot (USE_NEW_STREAMING_SERVICE=false): the control',
  run: (scenario) => runStreamOnBot(scenario, { flag: 'false' }),
};

export const streamingServiceRunner: Runner<StreamScenario> = {
  name: 'streaming-service',
  description: 'The StreamingService through PerpsBot (USE_NEW_STREAMING_SERVICE=true)',
  run: (scenario) => runStreamOnBot(scenario, { flag: 'true' }),
};

/** Streamed marks (Phase 2): the legacy loop is the control, the StreamingService the candidate. */
export const streamKind: KindDefinition<StreamScenario> = {
  name: 'stream',
  description:
    'PerpsBot streaming over scripted message sequences: opens, window appends, heartbeats, risk writes, event-store writes, logs',
  channels: STREAM_CHANNELS,
  control: legacyStreamRunner,
  candidates: [streamingServiceRunner],
  ignoreRules: STREAM_IGNORE_RULES,
  parse: parseStreamScenario,
};
