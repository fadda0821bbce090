import type { Command } from 'commander';
import * as smart from './smart.js';

/**
 * Adds every command group to `program`. One file per group under commands/, each exporting
 * `register(program)`; this list is the only place they meet.
 */
export function registerCommands(program: Command): void {
  void program;
  smart.register(program);
}
