import type { StatusPayload, TelemetryPayload } from '../../contract/payloads.ts';
import type { RejectionReason } from '../../contract/rejection-reasons.ts';
import { emptyShadow, type Shadow, type ShadowReader, type ShadowStore } from './domain/shadow.ts';
import type { PresenceChange } from './presence-feed.ts';

export interface ShadowService extends ShadowReader {
  connected(deviceId: number, address: string | null, now: number): void;
  disconnected(deviceId: number, now: number): void;
  status(deviceId: number, status: StatusPayload, now: number): void;
  telemetry(deviceId: number, payload: TelemetryPayload, now: number): void;
  rejected(deviceId: number, reason: RejectionReason, now: number): void;
  /**
   * A box connected to or left another node of the cluster: shown here as it is, but written and
   * announced (onPresence) by that node alone.
   */
  elsewhere(deviceId: number, online: boolean, at: number, address: string | null): void;
  flush(): void;
  /** Stops the flushes after a last one, and resolves once it is written. */
  close(): Promise<void>;
}

/**
 * Writes the dirty shadows. A write still under way (PostgreSQL) makes the next flush wait for
 * it, so an older state of a box is never written after a newer one.
 */
function createFlusher(store: ShadowStore, shadows: Map<number, Shadow>, dirty: Set<number>, onFlushError: (err: unknown) => void) {
  let writing: Promise<void> | null = null;

  function flush(): void {
    if (dirty.size === 0 || writing) return;
    const batch = [...dirty].map((id) => shadows.get(id)!);
    dirty.clear();
    const putBack = () => {
      for (const s of batch) dirty.add(s.deviceId);
    };
    try {
      const saved = store.saveMany(batch);
      if (saved === false) putBack();
      if (typeof saved === 'boolean') return;
      writing = saved
        .then(
          (ok) => {
            if (!ok) putBack();
          },
          (err: unknown) => {
            putBack();
            onFlushError(err);
          },
        )
        .finally(() => {
          writing = null;
        });
    } catch (err) {
      putBack();
      onFlushError(err);
    }
  }

  return { flush, written: () => writing ?? Promise.resolve() };
}

/**
 * Presence and latest values, current in memory and written to the store every
 * `flushIntervalMs` (and at shutdown), so the hot path never waits for the disk.
 */
export async function createShadowService(
  store: ShadowStore,
  opts: {
    flushIntervalMs: number;
    onFlushError(err: unknown): void;
    /** Told when a box goes online or offline (not on messages that leave its presence as it was). */
    onPresence?: (change: PresenceChange) => void;
    /** In a cluster: the box is connected to another node now, so a start here leaves it online. */
    heldElsewhere?: ((deviceId: number) => boolean) | undefined;
  },
): Promise<ShadowService> {
  const shadows = new Map<number, Shadow>();
  const online = new Set<number>();
  const dirty = new Set<number>();

  // Nobody is connected to a broker that has just started: whatever was online before the
  // restart is offline now, from its last-seen time (unless another node of a cluster holds it).
  for (const s of await store.loadAll()) {
    if (s.online && opts.heldElsewhere?.(s.deviceId)) online.add(s.deviceId);
    else if (s.online) {
      s.online = false;
      s.disconnectedAt = s.lastSeen;
      dirty.add(s.deviceId);
    }
    shadows.set(s.deviceId, s);
  }

  function touch(deviceId: number, now: number): Shadow {
    let s = shadows.get(deviceId);
    if (!s) {
      s = emptyShadow(deviceId);
      shadows.set(deviceId, s);
    }
    s.lastSeen = now;
    dirty.add(deviceId);
    return s;
  }

  const { flush, written } = createFlusher(store, shadows, dirty, opts.onFlushError);

  const timer = setInterval(flush, opts.flushIntervalMs);
  timer.unref();

  const service: ShadowService = {
    get: (deviceId) => shadows.get(deviceId) ?? null,
    onlineIds: () => online,

    connected(deviceId, address, now) {
      const s = touch(deviceId, now);
      const was = s.online;
      s.online = true;
      s.connectedAt = now;
      s.address = address;
      online.add(deviceId);
      if (!was) opts.onPresence?.({ deviceId, online: true, at: now, lastSeen: s.lastSeen, address });
    },

    disconnected(deviceId, now) {
      const s = touch(deviceId, now);
      const was = s.online;
      s.online = false;
      s.disconnectedAt = now;
      online.delete(deviceId);
      if (was) opts.onPresence?.({ deviceId, online: false, at: now, lastSeen: s.lastSeen, address: s.address });
    },

    status(deviceId, status, now) {
      if (status.state === 'offline') {
        service.disconnected(deviceId, now);
        return;
      }
      const s = touch(deviceId, now);
      if (status.fw) s.reportedFw = status.fw;
      if (status.model) s.reportedModel = status.model;
    },

    telemetry(deviceId, payload, now) {
      const s = touch(deviceId, now);
      Object.assign(s.metrics, payload.metrics);
      s.metricsTs = payload.ts;
      s.metricsReceivedAt = now;
    },

    rejected(deviceId, reason, now) {
      const s = touch(deviceId, now);
      s.rejected[reason] = (s.rejected[reason] ?? 0) + 1;
    },

    elsewhere(deviceId, isOnline, at, address) {
      const s = shadows.get(deviceId) ?? emptyShadow(deviceId);
      shadows.set(deviceId, s);
      s.online = isOnline;
      s.lastSeen = Math.max(s.lastSeen ?? at, at);
      if (isOnline) {
        s.connectedAt = at;
        s.address = address;
        online.add(deviceId);
      } else {
        s.disconnectedAt = at;
        online.delete(deviceId);
      }
    },

    flush,

    async close() {
      clearInterval(timer);
      await written();
      flush();
      await written();
    },
  };
  return service;
}
