export {
  EXPERIMENTS,
  MARKS_SHADOW_PERCENT,
  EXECUTION_SHADOW_PERCENT,
  readShadowPercent,
  candidateRuns,
  type ExperimentName,
} from './ramp.js';
export {
  EXPERIMENT_EVENT,
  configFingerprint,
  eventStoreSink,
  storedRecord,
  type ExperimentRecord,
  type ExperimentOutcome,
  type ExperimentDifference,
  type ExperimentReproduction,
  type ExperimentSink,
} from './experiment-record.js';
