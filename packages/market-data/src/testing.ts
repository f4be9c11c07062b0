// Test doubles for market data, kept out of the runtime index: `@perps-bot/market-data/testing`.
export {
  ScriptedStreamSource,
  type StreamScript,
  type StreamStep,
  type StreamOpen,
  type StreamStepAt,
} from './streaming/scripted-stream-source.js';
