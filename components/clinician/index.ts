export * from './care-alerts.js';
export * from './care-roster.js';
export * from './care-outcomes.js';
