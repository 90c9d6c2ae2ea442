import type { DecodedMessage } from '../../edge/intake/index.ts';
import { appendRefusal, type NewTimelineEntry } from './domain/timeline-entry.ts';
import type { SessionCore } from './session-core.ts';
import { loadSession } from './store/remote-session-store.ts';

/**
 * What a box with open sessions says reaches those sessions: telemetry live to the room,
 * faults and events onto each session's timeline.
 */
export function createBoxMessages(core: SessionCore) {
  const { deps, lock, log } = core;
  const { db, clock } = deps;

  /** Appends a box's fault or event to each open session on it, in that session's order. */
  function appendFromBox(serial: string, ids: ReadonlySet<number>, entry: NewTimelineEntry): void {
    for (const id of ids) {
      void lock
        .run(id, async () => {
          const s = await loadSession(db, id);
          if (s && appendRefusal(s.state, entry.kind) === null) await core.append(id, [entry]);
        })
        .catch((err: unknown) => log.error({ err, serial, sessionId: id, kind: entry.kind }, 'box message not added to the session timeline'));
    }
  }

  /** Every message the broker accepted; only boxes with an open session cost more than one lookup. */
  return function onDeviceMessage(serial: string, channel: DecodedMessage['channel'], payload: DecodedMessage['payload']): void {
    const ids = core.openBySerial.get(serial);
    if (!ids) return;
    const message = { channel, payload } as DecodedMessage;
    const box = { kind: 'box' as const, serial };
    switch (message.channel) {
      case 'telemetry': {
        // Full rate and volatile: the room sees it live, the timeline does not keep it.
        const { ts, seq, metrics } = message.payload;
        for (const sessionId of ids) core.feed.publish({ type: 'telemetry', telemetry: { sessionId, serial, ts, seq, metrics } });
        return;
      }
      case 'fault': {
        const p = message.payload;
        const data = { faultId: p.id, ts: p.ts, code: p.code, severity: p.severity, state: p.state ?? 'raised', message: p.message ?? null };
        appendFromBox(serial, ids, { at: clock(), author: box, kind: 'fault', data });
        return;
      }
      case 'event': {
        const p = message.payload;
        appendFromBox(serial, ids, {
          at: clock(),
          author: box,
          kind: 'event',
          data: { eventId: p.id, ts: p.ts, type: p.type, details: p.details ?? null },
        });
        return;
      }
      default:
        return;
    }
  };
}
