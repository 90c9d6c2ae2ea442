import type { SessionSnapshot, SessionTelemetry } from './domain/session-views.ts';
import type { TimelineEntry } from './domain/timeline-entry.ts';

/** What a session's room receives; the realtime layer turns each into a socket.io event. */
export type SessionFeedMessage =
  | { type: 'timeline'; entry: TimelineEntry }
  | { type: 'state'; snapshot: SessionSnapshot }
  | { type: 'telemetry'; telemetry: SessionTelemetry };

export type SessionFeedListener = (message: SessionFeedMessage) => void;

export interface SessionFeed {
  /** Hands the message to every listener synchronously, so room order is publish order. */
  publish(message: SessionFeedMessage): void;
  subscribe(listener: SessionFeedListener): () => void;
}

export function createSessionFeed(onListenerError: (err: unknown) => void): SessionFeed {
  const listeners = new Set<SessionFeedListener>();
  return {
    publish(message) {
      for (const listener of [...listeners]) {
        try {
          listener(message);
        } catch (err) {
          onListenerError(err);
        }
      }
    },
    subscribe(listener) {
      const entry: SessionFeedListener = (m) => listener(m);
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
      };
    },
  };
}
