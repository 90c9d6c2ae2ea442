import { createSessionCore, type RemoteSessionDeps } from './session-core.ts';
import { createSessionLifecycle, type SessionLifecycle } from './session-lifecycle.ts';
import { createSessionRoom, type SessionDeviceSide, type SessionRoom } from './session-room.ts';
import { createSessionTunnels, type SessionTunnels } from './session-tunnels.ts';

export type { RemoteSessionDeps } from './session-core.ts';

/**
 * Remote-guidance sessions: the lifecycle the HTTP API drives, the rooms socket.io clients
 * join, and the box side (live data in, commands out). One core, so all three share the
 * per-session order of the timeline. PLC tunnels ask it who may open one and record on its timeline.
 */
export type RemoteSessions = SessionLifecycle & SessionRoom & SessionDeviceSide & SessionTunnels;

export function createRemoteSessions(deps: RemoteSessionDeps): RemoteSessions {
  const core = createSessionCore(deps);
  return { ...createSessionLifecycle(core), ...createSessionRoom(core), ...createSessionTunnels(core) };
}
