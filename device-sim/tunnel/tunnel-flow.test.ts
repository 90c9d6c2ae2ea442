import { describe, expect, it } from 'vitest';
import { WINDOW_FRAMES } from '../../services/contract/tunnel-frames.ts';
import { Acknowledger, InboundSequence, SendWindow } from './tunnel-flow.ts';

describe('InboundSequence', () => {
  it('takes exactly the next number, drops redeliveries and reports a skipped one', () => {
    const inbound = new InboundSequence(1);
    expect(inbound.arrive(1)).toBe('take');
    expect(inbound.arrive(2)).toBe('take');
    expect(inbound.arrive(2)).toBe('duplicate');
    expect(inbound.arrive(0)).toBe('duplicate');
    expect(inbound.arrive(4)).toBe('skipped');
    expect(inbound.arrive(3)).toBe('take');
  });
});

describe('SendWindow', () => {
  it('numbers control and DATA frames in one sequence and holds at most 32 DATA frames above the last ACK', () => {
    const window = new SendWindow();
    expect(window.control()).toBe(0);
    const data = Array.from({ length: WINDOW_FRAMES }, () => window.data());
    expect(data).toEqual(Array.from({ length: WINDOW_FRAMES }, (_, i) => i + 1));
    expect(window.full).toBe(true);
    expect(() => window.data()).toThrow(RangeError);
    // A control frame never waits for the window.
    expect(window.control()).toBe(WINDOW_FRAMES + 1);
    expect(window.ack(4)).toBe(4);
    expect(window.inFlight).toBe(WINDOW_FRAMES - 4);
    expect(window.full).toBe(false);
    expect(window.data()).toBe(WINDOW_FRAMES + 2);
    // An old ACK releases nothing; one ACK may cover many frames.
    expect(window.ack(2)).toBe(0);
    expect(window.ack(WINDOW_FRAMES + 2)).toBe(WINDOW_FRAMES - 3);
    expect(window.inFlight).toBe(0);
    expect(window.maxInFlight).toBe(WINDOW_FRAMES);
  });
});

describe('Acknowledger', () => {
  it('ACKs DATA accepted without back-pressure at once, with one ACK for many frames', () => {
    const acks = new Acknowledger();
    expect(acks.due()).toBeUndefined();
    acks.taken(1, true);
    acks.taken(2, true);
    expect(acks.due()).toBe(2);
    expect(acks.due()).toBeUndefined();
  });

  it('holds the ACK while the TCP end pushes back, and covers everything taken once it drains', () => {
    const acks = new Acknowledger();
    acks.taken(1, true);
    acks.taken(2, false);
    acks.taken(3, false);
    expect(acks.waitingForDrain).toBe(true);
    expect(acks.due()).toBeUndefined();
    acks.drained();
    expect(acks.due()).toBe(3);
  });
});
