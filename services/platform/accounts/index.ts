/** The public face of this capability: what other capabilities and the composition root use. */
export * from './admin-password-config.ts';
export * from './domain/account-ports.ts';
export * from './domain/account.ts';
export * from './domain/roles.ts';
export * from './domain/invitation.ts';
// The admin CLI works on the stores directly, as the server is stopped (or does not cache accounts).
export { checkPasswordStrength, describeWeakness, NEW_PASSWORD_MAX, PASSWORD_MIN } from './domain/password-policy.ts';
export { createSessionStore } from './store/session-store.ts';
export { listSessions, revokeEverySession, type SessionListing } from './store/session-listing.ts';
export { createUserStore } from './store/user-store.ts';
