export * from './care-alerts.js';
export * from './care-roster.js';
export * from './care-outcomes.js';
export * from './care-client-record.js';
