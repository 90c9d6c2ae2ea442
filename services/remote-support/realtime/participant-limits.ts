import { localRateLimiters, type RateLimiters, type RateRule, type RateVerdict } from '../../platform/security/index.ts';
import type { SocketIdentity } from './socket-types.ts';

/**
 * How much one participant may send over socket.io: events of any kind, and characters of
 * chat and notes (timeline entries are permanent, and a customer link once posted 5,000
 * lines of 3.9 KB in under a second). Counted per participant, not per connection, so
 * opening more tabs buys nothing (on a cluster, counted in Redis: tabs on other nodes buy
 * nothing either). A customer link is held tighter than staff: it is a bearer link that may
 * have been forwarded.
 */
export const PARTICIPANT_LIMITS: Record<'staff' | 'customer', { events: RateRule; textChars: RateRule }> = {
  // Room for a burst of pasted log lines or a script, not for a flood.
  staff: { events: { capacity: 120, perMinute: 600 }, textChars: { capacity: 100_000, perMinute: 100_000 } },
  // One full-length message (4,000 characters) at once, then about one a minute.
  customer: { events: { capacity: 10, perMinute: 60 }, textChars: { capacity: 4_000, perMinute: 4_000 } },
};

/** Verdicts come at once on a single node, after a round trip to Redis on a cluster. */
export interface ParticipantLimits {
  event(identity: SocketIdentity, now: number): RateVerdict | Promise<RateVerdict>;
  text(identity: SocketIdentity, chars: number, now: number): RateVerdict | Promise<RateVerdict>;
}

function keyOf(identity: SocketIdentity): { kind: 'staff' | 'customer'; key: string } {
  return identity.kind === 'account'
    ? { kind: 'staff', key: `account:${identity.user.userId}` }
    : { kind: 'customer', key: `link:${identity.customer.linkId}` };
}

export function createParticipantLimits(limits = PARTICIPANT_LIMITS, limiters: RateLimiters = localRateLimiters): ParticipantLimits {
  const buckets = {
    staff: { events: limiters('staff-events', limits.staff.events), textChars: limiters('staff-text', limits.staff.textChars) },
    customer: { events: limiters('customer-events', limits.customer.events), textChars: limiters('customer-text', limits.customer.textChars) },
  };
  return {
    event(identity, now) {
      const { kind, key } = keyOf(identity);
      return buckets[kind].events.take(key, now);
    },
    text(identity, chars, now) {
      const { kind, key } = keyOf(identity);
      return buckets[kind].textChars.take(key, now, chars);
    },
  };
}
