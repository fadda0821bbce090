#!/usr/bin/env node
// `care …`: the clinic's command line (server/cli/main.ts), run through tsx like the server itself.
import { register } from 'tsx/esm/api';

register();
await import('../server/cli/main.ts');
