/** The public face of this capability: what other capabilities and the composition root use. */
export * from './admin-password-config.ts';
export * from './domain/account-ports.ts';
export * from './domain/account.ts';
export * from './domain/roles.ts';
export * from './domain/invitation.ts';
