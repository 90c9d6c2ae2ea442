/*
 * Remote-guidance cases, fleet incidents and platform tickets as staff see them. Keys: `cases.*`.
 */
export const CASES = /** @satisfies {import('./types.js').Messages} */ ({});
