/*
 * The customer portal and the invitation page. Keys: `portal.*`.
 */
export const PORTAL = /** @satisfies {import('./types.js').Messages} */ ({});
