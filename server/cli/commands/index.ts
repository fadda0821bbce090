import type { Command } from 'commander';
import { register as registerAudit } from './audit.js';
import { register as registerClinic } from './clinic.js';
import { register as registerServe } from './serve.js';

/**
 * Adds every command group to `program`. One file per group under commands/, each exporting
 * `register(program)`; this list is the only place they meet.
 */
export function registerCommands(program: Command): void {
  registerServe(program);
  registerClinic(program);
  registerAudit(program);
}
