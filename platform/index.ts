export * from './calendar.ts';
export * from './errors.ts';
export * from './http.ts';
export * from './identity.ts';
export * from './ids.ts';
export * from './invariant.ts';
export * from './logger.ts';
export * from './telemetry.ts';
