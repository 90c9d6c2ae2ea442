/*
 * Customer organisations as staff see them, and the webhook panel. Keys: `orgs.*`.
 */
export const ORGS = /** @satisfies {import('./types.js').Messages} */ ({});
