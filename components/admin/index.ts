export * from './care-admin.js';
export type * from './events.js';
