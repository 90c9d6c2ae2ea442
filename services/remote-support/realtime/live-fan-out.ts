import type { SessionRoom } from '../sessions/index.ts';
import { roomOf, type LiveBus } from './live-events.ts';
import { sessionRoom } from './session-contract.ts';
import type { RealtimeIo } from './socket-types.ts';

/**
 * Forwards bus events to the rooms of their channel and the remote-session feed to the rooms of
 * their session; rooms are joined only after the access checks, so the fan-out checks nothing.
 * Answers a function that stops both.
 */
export function fanOutLive(io: RealtimeIo, bus: LiveBus, remoteSessions?: SessionRoom): () => void {
  const unsubscribeBus = bus.subscribe((event) => {
    io.to(roomOf(event.channel)).emit('live', event);
  });
  const unsubscribeFeed = remoteSessions?.subscribe((message) => {
    switch (message.type) {
      case 'timeline':
        return void io.to(sessionRoom(message.entry.sessionId)).emit('session.timeline', message.entry);
      case 'state':
        return void io.to(sessionRoom(message.snapshot.id)).emit('session.state', message.snapshot);
      case 'telemetry':
        // Volatile: a client that cannot keep up skips samples instead of queueing them.
        return void io.to(sessionRoom(message.telemetry.sessionId)).volatile.emit('session.telemetry', message.telemetry);
    }
  });
  return () => {
    unsubscribeBus();
    unsubscribeFeed?.();
  };
}
