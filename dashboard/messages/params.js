/*
 * Parameter backups, diffs, restores and the command palette. Keys: `params.*`.
 */
export const PARAMS = /** @satisfies {import('./types.js').Messages} */ ({});
