import { describe, expect, it } from 'vitest';
import { ROLES, STAFF_ROLES } from '../../kernel/roles.ts';
import { CHANNEL_NAMES, CHANNELS, channelOfRoom, createLiveBus, LiveEventError, mayReceive, roomOf, type LiveEvent } from './live-events.ts';

const AT = Date.parse('2025-06-15T08:00:00Z');
const event: LiveEvent = { channel: 'tickets', type: 'rma.transitioned', id: 42, at: AT, data: { to: 'diagnosing' } };

describe('channel table', () => {
  it('lets every staff role receive every channel for now, and customer accounts none: channels carry every organisation', () => {
    for (const channel of CHANNEL_NAMES) expect(ROLES.filter((r) => mayReceive(r, channel))).toEqual([...STAFF_ROLES]);
  });

  it('answers from a narrower table when one is given', () => {
    const narrow = { ...CHANNELS, incidents: ['admin', 'engineer'] } as const;
    expect(mayReceive('technician', 'incidents', narrow)).toBe(false);
    expect(mayReceive('engineer', 'incidents', narrow)).toBe(true);
  });

  it('maps channels to rooms and back, and no other room to a channel', () => {
    for (const channel of CHANNEL_NAMES) expect(channelOfRoom(roomOf(channel))).toBe(channel);
    expect(channelOfRoom('Vx3k9_socket-id')).toBeNull();
    expect(channelOfRoom('channel:nope')).toBeNull();
  });
});

describe('live bus', () => {
  it('hands each event to every listener in subscription order', () => {
    const bus = createLiveBus();
    const seen: string[] = [];
    bus.subscribe((e) => seen.push(`a:${e.id}`));
    bus.subscribe((e) => seen.push(`b:${e.id}`));
    bus.publish(event);
    expect(seen).toEqual(['a:42', 'b:42']);
  });

  it('still delivers to the other listeners when one throws, and reports the failure', () => {
    const failures: unknown[] = [];
    const bus = createLiveBus({ onListenerError: (err, e) => failures.push([err, e.id]) });
    const seen: LiveEvent[] = [];
    const boom = new Error('listener bug');
    bus.subscribe(() => {
      throw boom;
    });
    bus.subscribe((e) => seen.push(e));
    bus.publish(event);
    expect(seen).toEqual([event]);
    expect(failures).toEqual([[boom, 42]]);
  });

  it('stops delivering to a listener once it unsubscribes', () => {
    const bus = createLiveBus();
    const seen: LiveEvent[] = [];
    const off = bus.subscribe((e) => seen.push(e));
    bus.publish(event);
    off();
    bus.publish({ ...event, id: 43 });
    expect(seen.map((e) => e.id)).toEqual([42]);
  });

  it('gives listeners a frozen event, so one cannot change what the next sees', () => {
    const bus = createLiveBus();
    const seen: LiveEvent[] = [];
    bus.subscribe((e) => seen.push(e));
    bus.publish(event);
    expect(Object.isFrozen(seen[0])).toBe(true);
  });

  it('throws LIVE_EVENT_INVALID at the publisher for a malformed event, before any listener runs', () => {
    const bus = createLiveBus();
    const seen: LiveEvent[] = [];
    bus.subscribe((e) => seen.push(e));
    const bad = { ...event, channel: 'payments', type: 'Not A Type' } as unknown as LiveEvent;
    expect(() => bus.publish(bad)).toThrow(LiveEventError);
    expect(() => bus.publish(bad)).toThrow(expect.objectContaining({ code: 'LIVE_EVENT_INVALID' }));
    expect(seen).toEqual([]);
  });
});
