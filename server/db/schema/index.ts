// The whole drizzle schema, one file per aggregate.
export * from './users';
export * from './organisations';
export * from './sources';
export * from './registers';
export * from './mappings';
export * from './connections';
export * from './synchronisations';
export * from './follow-ups';
export * from './contracts';
export * from './runs';
export * from './outbox';
export * from './conflicts';
export * from './run-changes';
export * from './create-intents';
export * from './contract-versions';
export * from './notifications';
export * from './page-memos';
