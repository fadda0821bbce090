import { buildCareBundle, REPO } from '../care-bundle.mjs';

export { REPO };

const bundle = await buildCareBundle();

/** `node <CARE_CLI> …args` runs `care …args` (bundled from the sources: test/care-bundle.mjs). */
export const CARE_CLI = bundle.cli;
/** `node <CARE_SERVER> [--demo]` runs server/main.ts (bundled from the sources). */
export const CARE_SERVER = bundle.server;
