import type { Logger } from '../../platform/logger.ts';
import { TimelineEntry, type SessionRoom } from '../sessions/index.ts';
import { roomOf, type LiveBus } from './live-events.ts';
import { sessionRoom } from './session-contract.ts';
import type { RealtimeIo } from './socket-types.ts';
import type { TimelineSequencer } from './timeline-sequencer.ts';

export interface FanOutDeps {
  bus: LiveBus;
  remoteSessions?: SessionRoom;
  timeline: TimelineSequencer;
  /** A cluster (REDIS_URL): the adapter spans the nodes and timeline entries are relayed to them. */
  crossNode: boolean;
  logger: Logger;
}

/** Entries committed on other nodes, delivered here like this node's own. */
function relayTimeline(io: RealtimeIo, deps: FanOutDeps): () => void {
  const fromOtherNode = (raw: unknown) => {
    const parsed = TimelineEntry.safeParse(raw);
    if (!parsed.success) return deps.logger.error({ issues: parsed.error.issues }, 'realtime: invalid timeline entry from another node dropped');
    deps.timeline.deliver(parsed.data);
  };
  io.on('session.timeline', fromOtherNode);
  return () => void io.off('session.timeline', fromOtherNode);
}

/**
 * Forwards bus events to the rooms of their channel and the remote-session feed to the rooms of
 * their session; rooms are joined only after the access checks, so the fan-out checks nothing.
 * Each event is emitted once, by the node where it happened: in a cluster the adapter carries
 * room broadcasts to the other nodes' sockets, while timeline entries go to each node, whose
 * sequencer sends them in seq order. Answers a function that stops it all.
 */
export function fanOutLive(io: RealtimeIo, deps: FanOutDeps): () => void {
  const unsubscribeBus = deps.bus.subscribe((event) => {
    io.to(roomOf(event.channel)).emit('live', event);
  });
  const unsubscribeFeed = deps.remoteSessions?.subscribe((message) => {
    switch (message.type) {
      case 'timeline':
        deps.timeline.deliver(message.entry);
        if (deps.crossNode) io.serverSideEmit('session.timeline', message.entry);
        return;
      case 'state':
        return void io.to(sessionRoom(message.snapshot.id)).emit('session.state', message.snapshot);
      case 'telemetry':
        // Volatile: a client that cannot keep up skips samples instead of queueing them.
        return void io.to(sessionRoom(message.telemetry.sessionId)).volatile.emit('session.telemetry', message.telemetry);
    }
  });
  const stopRelay = deps.crossNode ? relayTimeline(io, deps) : () => {};
  return () => {
    unsubscribeBus();
    unsubscribeFeed?.();
    stopRelay();
  };
}
