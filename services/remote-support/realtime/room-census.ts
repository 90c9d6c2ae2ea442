import { z } from 'zod';
import { participantKey, type ConnectedParticipants } from '../sessions/index.ts';
import { sessionRoom } from './session-contract.ts';
import { sessionIdentityOf, type RealtimeIo } from './socket-types.ts';

const CensusRequest = z.number().int().positive();
const CensusAnswers = z.array(z.array(z.string().max(64)));

/** The participant keys of this node's sockets in a session's room. */
function keysHere(io: RealtimeIo, sessionId: number): string[] {
  const keys: string[] = [];
  for (const id of io.of('/').adapter.rooms.get(sessionRoom(sessionId)) ?? []) {
    const socket = io.of('/').sockets.get(id);
    if (socket) keys.push(participantKey(sessionIdentityOf(socket.data.identity)));
  }
  return keys;
}

/**
 * Who has a connection in a session's room on any node, asked within the adapter's request
 * timeout (5 s, which a leave waits at worst when a node hangs). Each node answers with participant
 * keys only (not `fetchSockets()`, which would put every socket's login token on Redis), once
 * `subscribed`: the adapter asks only the nodes subscribed at the time, and hears answers only
 * when it is.
 */
export function connectedParticipants(io: RealtimeIo, subscribed: Promise<void>): ConnectedParticipants {
  io.on('room.census', (raw, answer) => {
    const sessionId = CensusRequest.safeParse(raw);
    answer(sessionId.success ? keysHere(io, sessionId.data) : []);
  });
  return async (sessionId) => {
    await subscribed;
    const answers = CensusAnswers.parse(await io.serverSideEmitWithAck('room.census', sessionId));
    return new Set([...keysHere(io, sessionId), ...answers.flat()]);
  };
}
