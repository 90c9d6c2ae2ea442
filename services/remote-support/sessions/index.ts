/** The public face of this capability: what other capabilities and the composition root use. */
export * from './domain/participant.ts';
export * from './domain/session-access.ts';
export * from './domain/session-views.ts';
export * from './domain/timeline-entry.ts';
export * from './session-lifecycle.ts';
export * from './session-room.ts';
export type { SessionTunnels } from './session-tunnels.ts';
export { SessionState } from './domain/remote-session.ts';
