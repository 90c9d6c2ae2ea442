import { z } from 'zod';
import type { Role } from '../../kernel/roles.ts';

/** The streams a dashboard can subscribe to; each is one socket.io room `channel:<name>`. */
export const CHANNEL_NAMES = ['tickets', 'cases', 'incidents', 'platform-tickets', 'devices', 'sessions'] as const;
export const Channel = z.enum(CHANNEL_NAMES);
export type Channel = z.infer<typeof Channel>;

/**
 * Who may receive each channel. Data, not if-chains, so a channel can be narrowed (e.g.
 * incidents to engineers) by editing one row, and docs/realtime.md reads the same table.
 */
export const CHANNELS = {
  tickets: ['admin', 'engineer', 'after-sales', 'technician'],
  cases: ['admin', 'engineer', 'after-sales', 'technician'],
  incidents: ['admin', 'engineer', 'after-sales', 'technician'],
  'platform-tickets': ['admin', 'engineer', 'after-sales', 'technician'],
  devices: ['admin', 'engineer', 'after-sales', 'technician'],
  // Remote-guidance sessions opening, starting and ending: the support queue's live view.
  sessions: ['admin', 'engineer', 'after-sales', 'technician'],
} as const satisfies Record<Channel, readonly Role[]>;

export type ChannelTable = Readonly<Record<Channel, readonly Role[]>>;

/** Whether a role may receive a channel's events, per the channel table. */
export function mayReceive(role: Role, channel: Channel, table: ChannelTable = CHANNELS): boolean {
  return table[channel].includes(role);
}

/** The socket.io room of a channel; the one place the `channel:` prefix is written. */
export function roomOf(channel: Channel): string {
  return `channel:${channel}`;
}

/** The channel of a room name, or null for rooms that are not channels (e.g. the socket's own id). */
export function channelOfRoom(room: string): Channel | null {
  if (!room.startsWith('channel:')) return null;
  const parsed = Channel.safeParse(room.slice('channel:'.length));
  return parsed.success ? parsed.data : null;
}

/**
 * A server→client live event, e.g. `{ channel: 'tickets', type: 'rma.transitioned', id: 42,
 * at: 1718438400000, data: { from: 'received', to: 'diagnosing' } }`. The dashboard only needs
 * enough to update a row or refetch it; `data` is the event's own small payload.
 */
export const LiveEvent = z
  .object({
    channel: Channel,
    // Dotted lower-case names (`rma.transitioned`), so the dashboard can switch on a stable string.
    type: z
      .string()
      .max(64)
      .regex(/^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)*$/, 'type: dotted lower-case name, e.g. rma.transitioned'),
    id: z.union([z.string().min(1).max(128), z.number().int()]),
    at: z.number().int().nonnegative(),
    data: z.record(z.string(), z.unknown()),
  })
  .strict();
export type LiveEvent = z.infer<typeof LiveEvent>;

export type LiveListener = (event: LiveEvent) => void;

/** Where capabilities publish what changed; the realtime layer is one listener. */
export interface LiveBus {
  /** Validates the event and hands it to every listener, synchronously, in subscription order. */
  publish(event: LiveEvent): void;
  /** Returns the function that removes the listener. */
  subscribe(listener: LiveListener): () => void;
}

/** Thrown by publish() for an event that does not match LiveEvent: a bug in the publisher. */
export class LiveEventError extends Error {
  readonly code = 'LIVE_EVENT_INVALID';
  constructor(readonly issues: string[]) {
    super(`invalid live event: ${issues.join('; ')}`);
    this.name = 'LiveEventError';
  }
}

export interface LiveBusOptions {
  /** Told about a listener that threw; the other listeners still get the event. */
  onListenerError?: (err: unknown, event: LiveEvent) => void;
}

/** An in-process bus with synchronous fan-out, for a single backend process. */
export function createLiveBus(options: LiveBusOptions = {}): LiveBus {
  // The default still reports, so a broken listener is never silent; the app passes its logger.
  const onListenerError = options.onListenerError ?? ((err: unknown) => console.error('live event listener failed', err));
  const listeners = new Set<LiveListener>();
  return {
    publish(event) {
      const parsed = LiveEvent.safeParse(event);
      if (!parsed.success) {
        throw new LiveEventError(parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`));
      }
      // Frozen, since every listener gets the same object and none may change it for the next.
      const frozen = Object.freeze(parsed.data);
      // A copy, so a listener that unsubscribes (or subscribes) during fan-out changes only the next publish.
      for (const listener of [...listeners]) {
        try {
          listener(frozen);
        } catch (err) {
          onListenerError(err, frozen);
        }
      }
    },
    subscribe(listener) {
      // Wrapped, so subscribing the same function twice gives two independent subscriptions.
      const entry: LiveListener = (event) => listener(event);
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
      };
    },
  };
}

/**
 * Publishes events whose change is already committed. A bad event is a bug in its publisher,
 * but the change stands, so it is logged rather than thrown at the caller.
 */
export function publishCommitted(bus: LiveBus, events: readonly LiveEvent[], log: { error(obj: object, msg: string): void }): void {
  for (const event of events) {
    try {
      bus.publish(event);
    } catch (err) {
      log.error({ err, type: event.type }, 'live event not published');
    }
  }
}
