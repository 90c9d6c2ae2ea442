/*
 * Remote-guidance sessions: list, console, timeline, tunnels. Keys: `sessions.*`.
 */
export const SESSIONS = /** @satisfies {import('./types.js').Messages} */ ({});
