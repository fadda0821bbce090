export * from './templates.js';
export * from './check-in.js';
export * from './alerts.js';
export * from './hotlines.js';
