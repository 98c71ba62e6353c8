export * from './prompts/index.ts';
export * from './tools/index.ts';
export * from './agent/index.ts';
export * from './structured/index.ts';
export * from './cost/index.ts';
export * from './context/index.ts';
export * from './storage/index.ts';
export * from './ledger/index.ts';
