export {
  streamScenarioSchema,
  parseStreamScenario,
  type StreamScenario,
  type StreamScenarioStep,
  type EventStoreScript,
} from './scenario.js';
export { ScriptedEventStore } from '../../fixtures/scripted-event-store.js';
export { runStreamOnBot, STREAM_CHANNELS, STREAM_CLOCK_START, type StreamRunOptions } from './run-on-bot.js';
export { STREAM_IGNORE_RULES, BAD_PRICE_TEXT, STREAM_RECONNECT, divergence } from './ignore-rules.js';
export { streamKind, legacyStreamRunner, streamingServiceRunner } from './kind.js';
