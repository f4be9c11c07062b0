export {
  markUpdateScenarioSchema,
  parseMarkUpdateScenario,
  type MarkUpdateScenario,
  type QuoteAnswer,
  type ScriptedValue,
  type ScriptedTs,
  type RiskScript,
} from './scenario.js';
export { ScriptedBroker, answerValue } from '../../fixtures/scripted-broker.js';
export { ScriptedRiskManager } from '../../fixtures/scripted-risk.js';
export { runMarkUpdateOnBot, MARK_UPDATE_CHANNELS, type BotRunOptions } from './run-on-bot.js';
export { markUpdateKind, legacyRunner, serviceRunner, concurrentServiceRunner, shadowRunner } from './kind.js';
