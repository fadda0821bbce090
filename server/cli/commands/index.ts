import type { Command } from 'commander';
import * as backup from './backup.js';
import * as person from './person.js';
import * as smart from './smart.js';

/**
 * Adds every command group to `program`. One file per group under commands/, each exporting
 * `register(program)`; this list is the only place they meet.
 */
export function registerCommands(program: Command): void {
  person.register(program);
  backup.register(program);
  smart.register(program);
}
