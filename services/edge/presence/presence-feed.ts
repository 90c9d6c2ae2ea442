/** A box's presence changed: what the dashboard's fleet row needs to flip without a refetch. */
export interface PresenceChange {
  deviceId: number;
  online: boolean;
  /** When the change happened (epoch ms). */
  at: number;
  lastSeen: number | null;
  address: string | null;
}

export interface PresenceFeed {
  /** A box went online or offline; cheap, called once per state change, never per message. */
  changed(change: PresenceChange): void;
  /** Drops what is still held back; nothing is emitted afterwards. */
  close(): void;
}

interface BoxPace {
  emittedAt: number;
  emittedOnline: boolean;
  held: PresenceChange | null;
  timer: NodeJS.Timeout | null;
}

/**
 * Paces presence changes per box: at most one every `minIntervalMs`, the last state always
 * wins. A change inside the interval is held (a newer one replaces it) and emitted when the
 * interval ends, unless the box is back in the state last emitted, so a flapping box costs one
 * event a second at most and the final state always arrives.
 */
export function createPresenceFeed(opts: { minIntervalMs: number; now(): number; emit(change: PresenceChange): void }): PresenceFeed {
  const boxes = new Map<number, BoxPace>();
  let closed = false;

  function emit(pace: BoxPace, change: PresenceChange): void {
    pace.emittedAt = opts.now();
    pace.emittedOnline = change.online;
    opts.emit(change);
  }

  function release(pace: BoxPace): void {
    pace.timer = null;
    const held = pace.held;
    pace.held = null;
    if (closed || !held || held.online === pace.emittedOnline) return;
    emit(pace, held);
  }

  return {
    changed(change) {
      if (closed) return;
      const pace = boxes.get(change.deviceId);
      if (!pace) {
        const fresh: BoxPace = { emittedAt: 0, emittedOnline: !change.online, held: null, timer: null };
        boxes.set(change.deviceId, fresh);
        return emit(fresh, change);
      }
      const wait = pace.emittedAt + opts.minIntervalMs - opts.now();
      if (pace.timer === null && wait <= 0) return emit(pace, change);
      pace.held = change;
      if (pace.timer === null) {
        pace.timer = setTimeout(() => release(pace), Math.max(wait, 0));
        pace.timer.unref();
      }
    },
    close() {
      closed = true;
      for (const pace of boxes.values()) if (pace.timer) clearTimeout(pace.timer);
      boxes.clear();
    },
  };
}
