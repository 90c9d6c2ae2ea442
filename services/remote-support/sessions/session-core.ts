import type { CalendarService } from '../../after-sales/calendar/index.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { CommandPort } from '../../edge/commands/index.ts';
import type { Db } from '../../platform/db/index.ts';
import type { CaseService } from '../../after-sales/diagnostics/index.ts';
import { AppError } from '../../kernel/app-error.ts';
import type { Logger } from '../../platform/logger.ts';
import type { ShadowReader } from '../../edge/presence/index.ts';
import { publishCommitted, type LiveBus } from '../realtime/index.ts';
import type { RmaService } from '../../after-sales/rma/index.ts';
import { createKeyedLock, type KeyedLock } from './keyed-lock.ts';
import { isOpen, type RemoteSession } from './domain/remote-session.ts';
import { queuePositions } from './domain/session-queue.ts';
import type { SessionSnapshot, SessionView } from './domain/session-views.ts';
import type { EntryOf, NewTimelineEntry, TimelineEntry } from './domain/timeline-entry.ts';
import { createSessionFeed, type SessionFeed } from './session-feed.ts';
import { listParticipants } from './store/participant-store.ts';
import { loadSession, queuedRequests } from './store/remote-session-store.ts';
import { appendEntries } from './store/timeline-store.ts';

export interface RemoteSessionDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  bus: LiveBus;
  calendar: Pick<CalendarService, 'current'>;
  cases: Pick<CaseService, 'get' | 'transition'>;
  rma: Pick<RmaService, 'open' | 'addNote'>;
  /** Reaches the boxes; session commands go through it with the session's id. */
  commands: CommandPort;
  shadows: ShadowReader;
  /** This node's id in a cluster, recorded on the participants who enter through it; null or absent on a single node. */
  nodeId?: string | null;
}

/**
 * The participant keys (`participantKey`) with a connection in a session's room on any node of
 * a cluster; told by the realtime layer. Rejects when a node does not answer in time.
 */
export type ConnectedParticipants = (sessionId: number) => Promise<ReadonlySet<string>>;

/** One participant's connections in a room: they leave when the last one does. */
export interface Presence {
  participantId: number;
  connections: Set<string>;
}

/**
 * What the lifecycle (HTTP) and room (socket.io) sides share. Everything that appends to a
 * session's timeline or publishes its state runs inside that session's lock, so a joining
 * client's catch-up read and the live entries it then receives never overlap or leave a gap.
 */
export interface SessionCore {
  deps: RemoteSessionDeps;
  log: Logger;
  lock: KeyedLock;
  feed: SessionFeed;
  /** Open sessions by box serial: a telemetry message of any other box costs this one lookup. */
  openBySerial: Map<string, Set<number>>;
  /** Who is in each open session's room now through this node, by participant key. */
  presence: Map<number, Map<string, Presence>>;
  /** Set in a cluster: connections on the other nodes count too. */
  connectedAnywhere: ConnectedParticipants | null;
  /** Whether the participant has a connection in the room on some node; false on a single node or if the nodes cannot tell. */
  connectedElsewhere(sessionId: number, key: string): Promise<boolean>;
  requireSession(id: number): Promise<RemoteSession>;
  views(sessions: readonly RemoteSession[]): Promise<SessionView[]>;
  snapshot(session: RemoteSession): Promise<SessionSnapshot>;
  /** Commits the entries and sends them to the room. Inside the session's lock. */
  append(sessionId: number, entries: readonly NewTimelineEntry[]): Promise<TimelineEntry[]>;
  publishTimeline(entries: readonly TimelineEntry[]): void;
  /** Sends the session's current snapshot to its room. Inside the session's lock. */
  publishState(sessionId: number): Promise<void>;
  /** Tells the dashboard's `sessions` channel; the change is committed. */
  publishLive(type: 'session.opened' | 'session.started' | 'session.ended', session: RemoteSession): void;
  /** Keeps openBySerial, and tells the `openListeners` (in a cluster: the other nodes). */
  trackOpen(session: OpenChange): void;
  /** Keeps openBySerial for a session another node opened or ended; told to nobody. */
  trackOpenElsewhere(session: OpenChange): void;
  openListeners: Array<(session: OpenChange) => void>;
  /** A telemetry-snapshot entry from the box's shadow, or none before its first telemetry. */
  telemetrySnapshot(serial: string, at: number): Promise<EntryOf<'telemetry-snapshot'>[]>;
}

/** What a node needs to know of a session that opened or ended: which box feeds it. */
export type OpenChange = Pick<RemoteSession, 'id' | 'serial' | 'state'>;

export function createSessionCore(deps: RemoteSessionDeps): SessionCore {
  const log = deps.logger.child({ component: 'remote-sessions' });
  const feed = createSessionFeed((err) => log.error({ err }, 'session feed listener failed'));
  const openBySerial = new Map<string, Set<number>>();

  async function views(sessions: readonly RemoteSession[]): Promise<SessionView[]> {
    const anyQueued = sessions.some((s) => s.state === 'queued');
    const positions = anyQueued ? queuePositions(await queuedRequests(deps.db)) : new Map<number, number>();
    const opensAt = anyQueued ? deps.calendar.current().nextSupportOpening(deps.clock()) : null;
    return sessions.map((s) => ({
      ...s,
      queuePosition: s.state === 'queued' ? (positions.get(s.id) ?? null) : null,
      supportOpensAt: s.state === 'queued' ? opensAt : null,
    }));
  }

  const core: SessionCore = {
    deps,
    log,
    lock: createKeyedLock(),
    feed,
    openBySerial,
    presence: new Map(),
    connectedAnywhere: null,
    async connectedElsewhere(sessionId, key) {
      if (!core.connectedAnywhere) return false;
      try {
        return (await core.connectedAnywhere(sessionId)).has(key);
      } catch (err) {
        // Answering no records a leave that may be early, never a presence that outlives everyone.
        log.warn({ err, sessionId }, 'the other nodes did not tell who is in the room; taken as nobody');
        return false;
      }
    },
    async requireSession(id) {
      const s = await loadSession(deps.db, id);
      if (!s) throw new AppError('SESSION_NOT_FOUND', { id });
      return s;
    },
    views,
    async snapshot(session) {
      const [view] = await views([session]);
      return { ...view!, participants: await listParticipants(deps.db, session.id) };
    },
    async append(sessionId, entries) {
      const appended = await deps.db.transaction().execute((tx) => appendEntries(tx, sessionId, entries));
      core.publishTimeline(appended);
      return appended;
    },
    publishTimeline(entries) {
      for (const entry of entries) feed.publish({ type: 'timeline', entry });
    },
    async publishState(sessionId) {
      feed.publish({ type: 'state', snapshot: await core.snapshot(await core.requireSession(sessionId)) });
    },
    publishLive(type, s) {
      publishCommitted(
        deps.bus,
        [
          {
            channel: 'sessions',
            type,
            id: s.id,
            at: deps.clock(),
            data: { serial: s.serial, state: s.state, queue: s.queue, outcome: s.outcome, ticketId: s.ticketId },
          },
        ],
        log,
      );
    },
    trackOpen(s) {
      core.trackOpenElsewhere(s);
      for (const listener of core.openListeners) listener({ id: s.id, serial: s.serial, state: s.state });
    },
    trackOpenElsewhere(s) {
      const ids = openBySerial.get(s.serial) ?? new Set<number>();
      if (isOpen(s.state)) {
        ids.add(s.id);
        openBySerial.set(s.serial, ids);
      } else {
        ids.delete(s.id);
        if (ids.size === 0) openBySerial.delete(s.serial);
      }
    },
    openListeners: [],
    async telemetrySnapshot(serial, at) {
      const device = await deps.db.selectFrom('devices').select('id').where('serial', '=', serial).executeTakeFirst();
      const shadow = device ? deps.shadows.get(device.id) : null;
      if (!shadow || Object.keys(shadow.metrics).length === 0) return [];
      return [{ at, author: { kind: 'box', serial }, kind: 'telemetry-snapshot', data: { ts: shadow.metricsTs, metrics: { ...shadow.metrics } } }];
    },
  };
  return core;
}
