import { describe, expect, it } from 'vitest';
import { WINDOW_FRAMES } from '../../../contract/tunnel-frames.ts';
import {
  ackDue,
  ackFromBox,
  ackSentFor,
  CLOSE_REASONS,
  closeTunnel,
  deliveredUpTo,
  dueClose,
  openDurationMs,
  openTunnel,
  receivedData,
  receiveSeq,
  requestTunnel,
  sentData,
  takeSendSeq,
  type Tunnel,
  windowRoom,
} from './tunnel.ts';

const T0 = 1_750_000_000_000;
const limits = { idleMs: 300_000, maxDurationMs: 120 * 60_000 };

function sendData(t: Tunnel, n: number, bytes = 100): Tunnel {
  let out = t;
  for (let i = 0; i < n; i++) {
    const s = takeSendSeq(out);
    out = sentData(s.tunnel, s.seq, bytes, T0);
  }
  return out;
}

describe('a tunnel', () => {
  it('opens after its OPEN (number 0) and closes once, with the first reason', () => {
    const t = requestTunnel(T0);
    expect(t.phase).toBe('opening');
    expect(t.nextSendSeq).toBe(1);
    const open = openTunnel(t, T0 + 50);
    expect(open).toMatchObject({ phase: 'open', openedAt: T0 + 50 });
    const closed = closeTunnel(open, CLOSE_REASONS.idle, T0 + 1000);
    expect(closeTunnel(closed, CLOSE_REASONS.boxOffline, T0 + 2000)).toBe(closed);
    expect(closed).toMatchObject({ phase: 'closed', closeReason: 'idle', closedAt: T0 + 1000 });
    expect(openDurationMs(closed, T0 + 5000)).toBe(950);
  });

  it('numbers every frame it sends, whatever its type', () => {
    let t = requestTunnel(T0);
    const seqs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const s = takeSendSeq(t);
      seqs.push(s.seq);
      t = s.tunnel;
    }
    expect(seqs).toEqual([1, 2, 3]);
  });

  it('takes the expected number, drops a lower one and refuses a skipped one', () => {
    let t = requestTunnel(T0);
    const first = receiveSeq(t, 0);
    expect(first.verdict).toBe('take');
    t = first.tunnel;
    expect(receiveSeq(t, 0)).toEqual({ verdict: 'duplicate', tunnel: t });
    expect(receiveSeq(t, 2).verdict).toBe('skipped');
    expect(receiveSeq(t, 1)).toMatchObject({ verdict: 'take', tunnel: { nextRecvSeq: 2 } });
  });

  it('keeps at most WINDOW_FRAMES DATA frames unacknowledged; an ACK opens the window', () => {
    let t = openTunnel(requestTunnel(T0), T0);
    t = sendData(t, WINDOW_FRAMES);
    expect(windowRoom(t)).toBe(0);
    expect(t.bytesDown).toBe(WINDOW_FRAMES * 100);
    // DATA went out as 1..32; acknowledging 10 frees ten places.
    const acked = ackFromBox(t, 10);
    expect(acked.ok).toBe(true);
    if (acked.ok) expect(windowRoom(acked.tunnel)).toBe(10);
  });

  it('refuses an ACK for a number never sent', () => {
    const t = sendData(openTunnel(requestTunnel(T0), T0), 2);
    expect(ackFromBox(t, 3)).toEqual({ ok: false });
    expect(ackFromBox(t, 2).ok).toBe(true);
  });

  it('acknowledges what reached the WebSocket, once', () => {
    let t = openTunnel(requestTunnel(T0), T0);
    expect(ackDue(t)).toBeNull();
    t = deliveredUpTo(receivedData(t, 10, T0), 3);
    expect(t.bytesUp).toBe(10);
    expect(ackDue(t)).toBe(3);
    t = ackSentFor(t, 3);
    expect(ackDue(t)).toBeNull();
    expect(deliveredUpTo(t, 2)).toBe(t);
  });

  it('closes when idle for the limit, and at the maximum duration however busy', () => {
    const t = openTunnel(requestTunnel(T0), T0);
    expect(dueClose(t, T0 + limits.idleMs - 1, limits)).toBeNull();
    expect(dueClose(t, T0 + limits.idleMs, limits)).toBe('idle');
    const busy = receivedData(t, 1, T0 + limits.maxDurationMs - 1);
    expect(dueClose(busy, T0 + limits.maxDurationMs - 2, limits)).toBeNull();
    expect(dueClose(busy, T0 + limits.maxDurationMs, limits)).toBe('max-duration');
    expect(dueClose(requestTunnel(T0), T0 + limits.maxDurationMs, limits)).toBeNull();
  });
});
