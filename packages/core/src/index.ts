export * from './prompts/index.ts';
export * from './cost/index.ts';
export * from './context/index.ts';
