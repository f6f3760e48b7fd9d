// The sync engine core: pure functions and the step plan. It imports no framework, database or
// network code; I/O reaches it only through server/sync/ports.ts.
export * from './canonical-json';
export * from './conditions';
export * from './contracts';
export * from './one-way';
export * from './decide';
export * from './deletions';
export * from './finish-run';
export * from './incremental';
export * from './ids';
export * from './mapping';
export * from './origin';
export * from './pagination';
export * from './paths';
export * from './results-position';
export * from './run-page';
export * from './run-plan';
export * from './run-result';
export * from './settings';
export * from './skip-rule';
export * from './sub-objects';
export * from './write-mode';
export * from './write-results';
