import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connectSocket, type Socket as ClientSocket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { waitFor } from '../../../test/helpers/wait-for.ts';
import { TimelineEntry } from '../sessions/index.ts';
import { sessionRoom } from './session-contract.ts';
import type { RealtimeIo, RealtimeSocket } from './socket-types.ts';
import { createTimelineSequencer, type TimelineSequencer } from './timeline-sequencer.ts';

/*
 * The sequencer over a real socket.io server and client. Entries are handed to it in the orders
 * a cluster produces (another node's entry late, or before a join finished); `stored` stands in
 * for the database, which holds every entry up to the newest one committed.
 */

const SESSION = 7;
const entry = (seq: number): TimelineEntry =>
  TimelineEntry.parse({
    sessionId: SESSION,
    seq,
    at: 1_750_000_000_000 + seq,
    author: { kind: 'system' },
    kind: 'chat',
    data: { text: `line ${seq}` },
  });

let server: http.Server;
let io: RealtimeIo;
let client: ClientSocket;
let socket: RealtimeSocket;
let received: number[];
let stored: TimelineEntry[];
let reads: number;
let sequencer: TimelineSequencer;
/** Each read of `stored` waits for this, so a test can hold a fill open. */
let readGate: Promise<void>;

beforeEach(async () => {
  server = http.createServer();
  io = new Server(server);
  stored = [];
  reads = 0;
  readGate = Promise.resolve();
  received = [];
  sequencer = createTimelineSequencer(
    io,
    {
      entriesAfter: async (_sessionId, afterSeq) => {
        reads++;
        await readGate;
        return stored.filter((e) => e.seq > afterSeq);
      },
    },
    createLogger('silent'),
  );
  const connected = new Promise<RealtimeSocket>((resolve) => io.on('connection', resolve));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = connectSocket(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { forceNew: true, reconnection: false });
  client.on('session.timeline', (e: TimelineEntry) => received.push(e.seq));
  socket = await connected;
  await socket.join(sessionRoom(SESSION));
});
afterEach(async () => {
  client.close();
  await io.close();
});

/** Commits entries `from`..`to` to the stand-in database. */
function commit(from: number, to: number): void {
  for (let seq = from; seq <= to; seq++) stored.push(entry(seq));
}

describe('timeline sequencer', () => {
  it('sends a later entry that overtook an earlier one after the earlier one, read from the database, each once', async () => {
    sequencer.joined(socket, SESSION, 2);
    commit(1, 5);
    // 5 committed here arrives before 3 and 4 of another node.
    sequencer.deliver(entry(5));
    sequencer.deliver(entry(3));
    sequencer.deliver(entry(4));
    await waitFor(() => received.length >= 3, { timeoutMs: 2000, what: 'entries 3 to 5' });
    sequencer.deliver(entry(5));
    commit(6, 6);
    sequencer.deliver(entry(6));
    await waitFor(() => received.includes(6), { timeoutMs: 2000, what: 'entry 6' });
    expect(received).toEqual([3, 4, 5, 6]);
    expect(reads).toBe(1);
  });

  it('holds entries arriving during a fill and sends them after it, in order', async () => {
    sequencer.joined(socket, SESSION, 0);
    commit(1, 3);
    let open!: () => void;
    readGate = new Promise((resolve) => {
      open = resolve;
    });
    sequencer.deliver(entry(3));
    commit(4, 5);
    sequencer.deliver(entry(5));
    sequencer.deliver(entry(4));
    open();
    await waitFor(() => received.includes(5), { timeoutMs: 2000, what: 'entry 5' });
    expect(received).toEqual([1, 2, 3, 4, 5]);
  });

  it('catches a joined socket up on what was committed elsewhere before it was in the room', async () => {
    commit(1, 4);
    sequencer.joined(socket, SESSION, 2);
    sequencer.catchUp(socket, SESSION);
    await waitFor(() => received.includes(4), { timeoutMs: 2000, what: 'entries 3 and 4' });
    sequencer.deliver(entry(4));
    commit(5, 5);
    sequencer.deliver(entry(5));
    await waitFor(() => received.includes(5), { timeoutMs: 2000, what: 'entry 5' });
    expect(received).toEqual([3, 4, 5]);
  });

  it('sends nothing to a socket that has not been answered its join, nor after it left', async () => {
    commit(1, 2);
    sequencer.deliver(entry(1));
    sequencer.joined(socket, SESSION, 1);
    sequencer.deliver(entry(2));
    await waitFor(() => received.includes(2), { timeoutMs: 2000, what: 'entry 2' });
    sequencer.forget(socket, SESSION);
    commit(3, 3);
    sequencer.deliver(entry(3));
    // A marker sent after the delivery: entry 3, had it been sent, would have arrived first.
    let marked = false;
    client.once('session-ended', () => {
      marked = true;
    });
    socket.emit('session-ended', { code: 'UNAUTHENTICATED', details: { reason: 'closed' } });
    await waitFor(() => marked, { timeoutMs: 2000, what: 'the marker' });
    expect(received).toEqual([2]);
    expect(reads).toBe(0);
  });
});
