export {
  createLedgerRecorder,
  ledgerEntryFromCallRecord,
  type LedgerRecorderOptions,
} from './ledger-call-recorder.ts';
export {
  ledgerCostFields,
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
export { LedgerStore, type LedgerStoreOptions } from './ledger-store.ts';
