export * from './prompts/index.ts';
export * from './cost/index.ts';
export * from './context/index.ts';
export * from './storage/index.ts';
export * from './ledger/index.ts';
