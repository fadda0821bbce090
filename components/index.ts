/** The "all widgets" bundle: importing it registers every element. */
export * from './core/index.js';
export * from './check-in/index.js';
