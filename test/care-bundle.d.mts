/** The worktree the tests run in. */
export const REPO: string;
/** Bundles `care` and the server from the sources (see care-bundle.mjs): the files to run with node. */
export function buildCareBundle(): Promise<{ cli: string; server: string }>;
