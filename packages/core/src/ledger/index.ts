export {
  createLedgerRecorder,
  ledgerEntryFromCallRecord,
  ledgerStartFromCallStart,
  type LedgerRecorderOptions,
  type RecordStartsOptions,
} from './ledger-call-recorder.ts';
export { currentCallInstance, instanceIsGone, type CallInstance } from './call-instance.ts';
export {
  ledgerCostFields,
  type LedgerCallStartFacts,
  type LedgerCallStatus,
  type LedgerStartInput,
  type LedgerEntry,
  type LedgerEntryInput,
  type LedgerTags,
} from './ledger-entry.ts';
export { ledgerMigrations } from './ledger-migrations.ts';
export type {
  LedgerFilter,
  LedgerGroup,
  LedgerGroupBy,
  ListEntriesOptions,
  SummarizeOptions,
  TopSpendersOptions,
} from './ledger-report.ts';
export {
  LedgerStore,
  type InterruptedCallEstimate,
  type LedgerStoreOptions,
} from './ledger-store.ts';
export {
  callCannotBeRunning,
  estimateInterruptedSpend,
  reconcileInterruptedCalls,
  type ReconcileInterruptedCallsOptions,
  type ReconcileReport,
} from './reconcile-interrupted-calls.ts';
