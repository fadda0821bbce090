/** The "all widgets" bundle: importing it registers every element. */
export * from './core/index.js';
export * from './check-in/index.js';
export * from './crisis/index.js';
export * from './progress/index.js';
export * from './support-room/index.js';
export * from './clinician/index.js';
export * from './admin/index.js';
