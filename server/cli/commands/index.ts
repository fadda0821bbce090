import type { Command } from 'commander';
import * as audit from './audit.js';
import * as backup from './backup.js';
import * as clinic from './clinic.js';
import * as groupVideo from './group-video.js';
import * as group from './group.js';
import * as person from './person.js';
import * as serve from './serve.js';
import * as smart from './smart.js';

/**
 * Adds every command group to `program`. One file per group under commands/, each exporting
 * `register(program)`; this list is the only place they meet.
 */
export function registerCommands(program: Command): void {
  serve.register(program);
  clinic.register(program);
  group.register(program);
  person.register(program);
  audit.register(program);
  backup.register(program);
  smart.register(program);
  groupVideo.register(program);
}
