export { Reconciler, RECONCILIATION_FAILED_REASON, type ReconcilerOptions } from './reconciler.js';
