// Incremental pulls: cursor values, the read window, the REST query template and per-page facts.
export * from './facts';
export * from './query';
export * from './values';
export * from './window';
export * from './open';
