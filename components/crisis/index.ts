export * from './care-crisis-button.js';
export * from './care-safety-plan.js';
