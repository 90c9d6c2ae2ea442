import { mayReceive, roomOf, type ChannelTable } from './live-events.ts';
import { CLIENT_EVENTS, type ChannelAck } from './socket-contract.ts';
import { failure, issuesOf, type Acknowledge, type RealtimeSocket } from './socket-types.ts';

type ChannelHandler = (socket: RealtimeSocket, payload: unknown, ack: Acknowledge) => void;

/** subscribe: joins a channel's room if the role may receive it; the ack says whether it did. */
export function subscribeToChannel(socket: RealtimeSocket, payload: unknown, channels: ChannelTable): ChannelAck {
  const parsed = CLIENT_EVENTS.subscribe.safeParse(payload);
  if (!parsed.success) return failure('VALIDATION_FAILED', issuesOf(parsed.error.issues));
  const { channel } = parsed.data;
  const identity = socket.data.identity;
  // A customer link shows its own session, nothing of the fleet.
  if (identity.kind === 'customer') return failure('FORBIDDEN', { channel, role: null });
  const role = identity.user.role;
  if (!mayReceive(role, channel, channels)) return failure('FORBIDDEN', { channel, role });
  void socket.join(roomOf(channel));
  return { ok: true, channel };
}

/** unsubscribe: always allowed; leaving a room one is not in is a no-op. */
export function unsubscribeFromChannel(socket: RealtimeSocket, payload: unknown): ChannelAck {
  const parsed = CLIENT_EVENTS.unsubscribe.safeParse(payload);
  if (!parsed.success) return failure('VALIDATION_FAILED', issuesOf(parsed.error.issues));
  void socket.leave(roomOf(parsed.data.channel));
  return { ok: true, channel: parsed.data.channel };
}

/** The subscribe/unsubscribe client events, answered through their ack. */
export function createChannelHandlers(channels: ChannelTable): Record<'subscribe' | 'unsubscribe', ChannelHandler> {
  return {
    subscribe: (socket, payload, ack) => ack(subscribeToChannel(socket, payload, channels)),
    unsubscribe: (socket, payload, ack) => ack(unsubscribeFromChannel(socket, payload)),
  };
}
