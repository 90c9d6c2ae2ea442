import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionDetail, SessionSnapshot } from '../services/remote-support/sessions/domain/session-views.ts';
import type { TimelineEntry } from '../services/remote-support/sessions/domain/timeline-entry.ts';
import { topicFor } from '../services/contract/topics.ts';
import { connectBox, publish } from './helpers/backend.ts';
import { waitFor } from './helpers/wait-for.ts';
import {
  MONDAY_10_CST,
  MONDAY_20_CST,
  startSessionFixture,
  TUESDAY_09_CST,
  type Account,
  type SessionClient,
  type SessionFixture,
} from './helpers/session-fixture.ts';
import { ERROR_MESSAGES } from '../services/platform/http/error-messages.ts';

/*
 * Remote-guidance sessions over the real backend: HTTP for the lifecycle, socket.io clients
 * in the rooms, simulated boxes over MQTT. Commands go through the real command service to
 * a SimBox (device-sim), which answers `ping`.
 */

interface JoinAck {
  ok: true;
  session: SessionSnapshot;
  entries: TimelineEntry[];
  you: { kind: string; participantId: number | null; resumeKey?: string };
}

let f: SessionFixture;
let eng1: Account;
let eng2: Account;
let tech: Account;

beforeAll(async () => {
  f = await startSessionFixture();
  [eng1, eng2, tech] = await Promise.all([f.account('engineer'), f.account('engineer'), f.account('technician')]);
});
afterAll(() => f.close());

async function open(serial: string, by: Account = eng1, extra: Record<string, unknown> = {}): Promise<SessionDetail> {
  const res = await f.api<SessionDetail>('POST', '/sessions', by.headers, { serial, ...extra });
  if (res.status !== 201) throw new Error(`open session on ${serial}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function detail(id: number): Promise<SessionDetail> {
  const res = await f.api<SessionDetail>('GET', `/sessions/${id}`, eng1.headers);
  if (res.status !== 200) throw new Error(`GET session ${id}: ${res.status}`);
  return res.body;
}

async function linkFor(id: number, body: Record<string, unknown> = {}): Promise<string> {
  const res = await f.api<{ token: string }>('POST', `/sessions/${id}/links`, eng1.headers, body);
  if (res.status !== 201) throw new Error(`link for session ${id}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}

async function connected(auth: Parameters<SessionFixture['connect']>[0]): Promise<SessionClient> {
  const client = f.connect(auth);
  await client.connected();
  return client;
}

async function joined(client: SessionClient, sessionId: number, afterSeq?: number): Promise<JoinAck> {
  const ack = await client.request<JoinAck>('session.join', { sessionId, ...(afterSeq !== undefined ? { afterSeq } : {}) });
  if (!ack.ok) throw new Error(`join ${sessionId}: ${JSON.stringify(ack)}`);
  return ack;
}

/** What a client holds of a session: its join answer, then what the room sent it. */
const held = (ack: JoinAck, client: SessionClient, sessionId: number) => [
  ...ack.entries,
  ...client.timeline.filter((e) => e.sessionId === sessionId),
];
const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

describe('one session, several people', () => {
  it('shows two engineers and a customer link the same timeline, each entry once and in order', async () => {
    f.setNow(MONDAY_10_CST);
    const box = await f.boxOnline();
    const session = await open(box.serial);
    const token = await linkFor(session.id, { label: 'site electrician' });
    const e1 = await connected({ token: eng1.token });
    const e2 = await connected({ token: eng2.token });
    const customer = await connected({ sessionLink: token });
    const acks = [await joined(e1, session.id), await joined(e2, session.id), await joined(customer, session.id)];
    expect(acks.map((a) => a.you.kind)).toEqual(['account', 'account', 'customer']);

    expect(await e1.request('session.chat', { sessionId: session.id, text: 'Hello, can you see the box?' })).toMatchObject({ ok: true });
    expect(await customer.request('session.chat', { sessionId: session.id, text: 'Yes, the red LED blinks' })).toMatchObject({ ok: true });
    expect(await e2.request('session.note', { sessionId: session.id, text: 'PLC link LED off: suspect cable' })).toMatchObject({ ok: true });
    const command = await e1.request<{ ok: boolean; resultSeq: number }>('session.command', { sessionId: session.id, name: 'ping' });
    expect(command.ok).toBe(true);

    const last = command.resultSeq;
    const clients = [e1, e2, customer];
    await waitFor(() => clients.every((c) => c.seqs(session.id).includes(last)), {
      timeoutMs: 5000,
      what: 'the command result in every room member',
    });
    const stored = (await detail(session.id)).timeline;
    expect(stored.map((e) => e.seq)).toEqual(range(1, last));
    for (const [i, client] of clients.entries()) expect(held(acks[i]!, client, session.id)).toEqual(stored);
    expect(stored.map((e) => e.kind)).toEqual([
      'system', // opened
      'system', // link created
      'participant-joined',
      'participant-joined',
      'participant-joined',
      'chat',
      'chat',
      'note',
      'command',
      'command-result',
    ]);
    expect(stored[6]).toMatchObject({ author: { kind: 'customer', label: 'site electrician' }, data: { text: 'Yes, the red LED blinks' } });
  });

  it('runs a command on the box with the session id and records the command and its result', async () => {
    f.setNow(MONDAY_10_CST);
    const box = await f.boxOnline();
    const session = await open(box.serial);
    const e1 = await connected({ token: eng1.token });
    await joined(e1, session.id);
    const ack = await e1.request<{ ok: true; outcome: { id: string; status: string; result: unknown }; commandSeq: number; resultSeq: number }>(
      'session.command',
      {
        sessionId: session.id,
        name: 'ping',
        args: {},
        timeoutMs: 5000,
      },
    );
    expect(ack).toEqual({
      ok: true,
      sessionId: session.id,
      outcome: { id: expect.stringMatching(/^cmd-/), status: 'succeeded', result: { uptime: expect.any(Number), fw: '2.4.1' } },
      commandSeq: expect.any(Number),
      resultSeq: ack.commandSeq + 1,
    });
    const { commands } = await detail(session.id);
    expect(commands).toEqual([
      {
        seq: ack.commandSeq,
        at: MONDAY_10_CST,
        by: { kind: 'user', username: eng1.username, role: 'engineer' },
        name: 'ping',
        args: {},
        timeoutMs: 5000,
        result: {
          seq: ack.resultSeq,
          at: MONDAY_10_CST,
          commandSeq: ack.commandSeq,
          commandId: ack.outcome.id,
          status: 'succeeded',
          result: ack.outcome.result,
          error: null,
        },
      },
    ]);
    // The command service recorded it against the session too.
    const history = await f.api<Array<{ id: string; sessionId: number | null; requestedBy: string }>>(
      'GET',
      `/devices/${box.serial}/commands`,
      eng1.headers,
    );
    expect(history.body[0]).toMatchObject({ id: ack.outcome.id, sessionId: session.id, requestedBy: eng1.username });
  });

  it('lets an engineer in the room command the box over HTTP as well, recorded on the session timeline', async () => {
    f.setNow(MONDAY_10_CST);
    const box = await f.boxOnline();
    const session = await open(box.serial);
    const outside = await f.api<{ error: string }>('POST', `/devices/${box.serial}/commands`, eng1.headers, { name: 'ping' });
    expect(outside).toMatchObject({ status: 403, body: { error: 'SESSION_REQUIRED' } });
    const e1 = await connected({ token: eng1.token });
    await joined(e1, session.id);
    const sent = await f.api<{ id: string; status: string }>('POST', `/devices/${box.serial}/commands`, eng1.headers, { name: 'ping' });
    expect(sent).toMatchObject({ status: 200, body: { status: 'succeeded' } });
    await waitFor(() => e1.timeline.some((e) => e.kind === 'command-result'), { timeoutMs: 5000, what: 'command result in the room' });
    expect((await detail(session.id)).commands).toEqual([
      expect.objectContaining({
        name: 'ping',
        by: { kind: 'user', username: eng1.username, role: 'engineer' },
        result: expect.objectContaining({ commandId: sent.body.id, status: 'succeeded' }),
      }),
    ]);
  });

  it('lets the customer chat but answers FORBIDDEN to their command or note, and nothing reaches the box', async () => {
    f.setNow(MONDAY_10_CST);
    const box = await f.boxOnline();
    const session = await open(box.serial);
    const customer = await connected({ sessionLink: await linkFor(session.id) });
    await joined(customer, session.id);
    expect(await customer.request('session.command', { sessionId: session.id, name: 'reboot' })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', details: { action: 'command', reason: 'customer-link' } },
    });
    expect(await customer.request('session.note', { sessionId: session.id, text: 'I am an engineer' })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', details: { action: 'note', reason: 'customer-link' } },
    });
    expect(await customer.request('session.chat', { sessionId: session.id, text: 'Can you reboot it?' })).toMatchObject({
      ok: true,
      seq: expect.any(Number),
    });
    expect((await detail(session.id)).commands).toEqual([]);
    expect(box.counters.commands).toBe(0);
  });

  it('lets only engineers in the room send commands', async () => {
    f.setNow(MONDAY_10_CST);
    const { serial } = await f.register();
    const session = await open(serial);
    const technician = await connected({ token: tech.token });
    await joined(technician, session.id);
    expect(await technician.request('session.command', { sessionId: session.id, name: 'ping' })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', details: { action: 'command', reason: 'role', role: 'technician' } },
    });
    expect(await technician.request('session.chat', { sessionId: session.id, text: 'on my way to site' })).toMatchObject({ ok: true });
    const outsider = await connected({ token: eng2.token });
    expect(await outsider.request('session.command', { sessionId: session.id, name: 'ping' })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', details: { action: 'command', reason: 'not-joined' } },
    });
  });

  it("keeps a customer link out of another session's room and of the fleet channels", async () => {
    f.setNow(MONDAY_10_CST);
    const [a, b] = await Promise.all([f.register(), f.register()]);
    const [mine, other] = [await open(a.serial), await open(b.serial)];
    const customer = await connected({ sessionLink: await linkFor(mine.id) });
    expect(await customer.request('session.join', { sessionId: other.id })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', details: { action: 'join', reason: 'other-session' } },
    });
    expect(await customer.request('session.chat', { sessionId: other.id, text: 'hello?' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await customer.request('subscribe', { channel: 'tickets' })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', details: { channel: 'tickets', role: null } },
    });
    // Things said in the other session never reach this customer.
    const e2 = await connected({ token: eng2.token });
    await joined(e2, other.id);
    const said = await e2.request<{ seq: number }>('session.chat', { sessionId: other.id, text: 'for the other site only' });
    await joined(customer, mine.id);
    const marker = await connected({ token: eng1.token });
    await joined(marker, mine.id);
    await waitFor(() => customer.timeline.some((e) => e.kind === 'participant-joined'), { timeoutMs: 5000, what: 'a later entry of its own room' });
    expect(customer.timeline.filter((e) => e.sessionId === other.id)).toEqual([]);
    expect(said.seq).toBeGreaterThan(0);
  });

  it('answers SESSION_NOT_FOUND for a session that does not exist', async () => {
    const e1 = await connected({ token: eng1.token });
    expect(await e1.request('session.join', { sessionId: 999_999 })).toEqual({
      ok: false,
      error: { code: 'SESSION_NOT_FOUND', details: { id: 999_999 } },
    });
  });
});

describe('reconnecting', () => {
  it('gives a client that rejoins with afterSeq exactly the entries it missed', async () => {
    f.setNow(MONDAY_10_CST);
    const box = await f.boxOnline();
    const session = await open(box.serial);
    const e2 = await connected({ token: eng2.token });
    await joined(e2, session.id);
    const first = await connected({ token: eng1.token });
    const firstAck = await joined(first, session.id);
    await first.request('session.chat', { sessionId: session.id, text: 'one moment, reloading' });
    await waitFor(() => first.timeline.length > 0, { timeoutMs: 5000, what: 'own chat entry' });
    const before = held(firstAck, first, session.id);
    const lastSeen = before.at(-1)!.seq;

    // The page reloads: the old connection drops, things happen meanwhile.
    first.socket.disconnect();
    await e2.request('session.chat', { sessionId: session.id, text: 'while you were away 1' });
    box.raiseFault({ code: 'PLC_LINK_DOWN', severity: 'error', message: 'no answer from the PLC' });
    await waitFor(() => e2.timeline.some((e) => e.kind === 'fault'), { timeoutMs: 5000, what: 'the fault on the timeline' });
    await e2.request('session.chat', { sessionId: session.id, text: 'while you were away 2' });

    const again = await connected({ token: eng1.token });
    const ack = await joined(again, session.id, lastSeen);
    const stored = (await detail(session.id)).timeline;
    expect(ack.entries).toEqual(stored.filter((e) => e.seq > lastSeen));
    expect(ack.entries.map((e) => e.kind)).toEqual(['participant-left', 'chat', 'fault', 'chat', 'participant-joined']);
    expect([...before, ...ack.entries]).toEqual(stored);
    expect(ack.session.lastSeq).toBe(stored.at(-1)!.seq);
  });

  it('loses and repeats nothing when entries keep arriving while a client drops and rejoins', async () => {
    f.setNow(MONDAY_10_CST);
    const session = await open((await f.register()).serial);
    const writer = await connected({ token: eng2.token });
    await joined(writer, session.id);
    const lines = range(1, 60).map((i) => writer.request('session.chat', { sessionId: session.id, text: `line ${i}` }));
    const chatsDone = Promise.all(lines);
    let finished = false;
    void chatsDone.then(() => (finished = true));

    const held: TimelineEntry[] = [];
    for (let round = 0; round < 4; round++) {
      const reader = await connected({ token: eng1.token });
      const ack = await joined(reader, session.id, held.at(-1)?.seq ?? 0);
      await waitFor(() => reader.timeline.length >= 5 || finished, { timeoutMs: 5000, what: 'a few live entries' });
      reader.socket.disconnect();
      held.push(...ack.entries, ...reader.timeline);
    }
    await chatsDone;
    const last = await connected({ token: eng1.token });
    const ack = await joined(last, session.id, held.at(-1)!.seq);
    held.push(...ack.entries);

    const stored = (await detail(session.id)).timeline;
    expect(held.map((e) => e.seq)).toEqual(range(1, stored.at(-1)!.seq));
    expect(held).toEqual(stored);
    expect(stored.filter((e) => e.kind === 'chat')).toHaveLength(60);
  });

  it('lets the customer back in with the resume key after a reload, and refuses a second browser', async () => {
    f.setNow(MONDAY_10_CST);
    const { serial } = await f.register();
    const session = await open(serial);
    const token = await linkFor(session.id);
    const firstTab = await connected({ sessionLink: token });
    const ack = await joined(firstTab, session.id);
    expect(ack.you).toMatchObject({ kind: 'customer', participantId: expect.any(Number), resumeKey: expect.any(String) });
    const resumeKey = ack.you.resumeKey!;

    const otherBrowser = f.connect({ sessionLink: token });
    await expect(otherBrowser.connected()).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
    const guessed = f.connect({ sessionLink: token, resumeKey: 'x'.repeat(43) });
    await expect(guessed.connected()).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });

    firstTab.socket.disconnect();
    const reloaded = await connected({ sessionLink: token, resumeKey });
    const back = await joined(reloaded, session.id, ack.session.lastSeq);
    expect(back.you).toEqual({ kind: 'customer', sessionId: session.id, label: null, participantId: ack.you.participantId });
    expect(back.entries.map((e) => e.kind)).toEqual(['participant-left', 'participant-joined']);
  });

  it('after a backend restart, closes the old presence, keeps taking box faults, and gives a rejoining client what it missed', async () => {
    f.setNow(MONDAY_10_CST);
    const { serial, secret } = await f.register();
    const session = await open(serial);
    const before = await connected({ token: eng1.token });
    const ack = await joined(before, session.id);
    const lastSeen = ack.session.lastSeq;

    await f.backend.restart();
    const box = await connectBox(f.backend.mqttUrl, serial, secret);
    await publish(box, topicFor(serial, 'fault'), { id: 'after-restart-1', ts: f.now(), code: 'PLC_LINK_DOWN', severity: 'error' });
    await box.endAsync();
    await waitFor(async () => (await detail(session.id)).timeline.some((e) => e.kind === 'fault'), { timeoutMs: 5000, what: 'fault after restart' });

    const after = await connected({ token: eng1.token });
    const back = await joined(after, session.id, lastSeen);
    expect(back.entries.map((e) => e.kind)).toEqual(['participant-left', 'fault', 'participant-joined']);
    expect(back.entries.map((e) => e.seq)).toEqual(range(lastSeen + 1, lastSeen + 3));
    expect(back.session.participants.filter((p) => p.leftAt === null).map((p) => p.username)).toEqual([eng1.username]);
  });

  it('refuses a customer link nobody opened before it expired', async () => {
    f.setNow(MONDAY_10_CST);
    const { serial } = await f.register();
    const session = await open(serial);
    const token = await linkFor(session.id, { ttlMinutes: 5 });
    f.setNow(MONDAY_10_CST + 5 * 60_000);
    const late = f.connect({ sessionLink: token });
    await expect(late.connected()).rejects.toMatchObject({ message: 'UNAUTHENTICATED', data: { code: 'UNAUTHENTICATED' } });
  });
});

describe('support hours', () => {
  it('queues sessions requested after hours with their place in line, first come first served per support queue', async () => {
    f.setNow(MONDAY_20_CST);
    const [a, b, c] = [await f.register('smart-factory'), await f.register('smart-logistics'), await f.register('smart-factory')];
    const first = await open(a.serial);
    const logistics = await open(b.serial);
    const second = await open(c.serial);
    expect([first, logistics, second].map((s) => [s.state, s.queue, s.queuePosition, s.supportOpensAt])).toEqual([
      ['queued', 'industry', 1, TUESDAY_09_CST],
      ['queued', 'logistics', 1, TUESDAY_09_CST],
      ['queued', 'industry', 2, TUESDAY_09_CST],
    ]);
    // The customer waiting second is told when the line moves.
    const customer = await connected({ sessionLink: await linkFor(second.id) });
    await joined(customer, second.id);

    const started = await f.api<SessionDetail>('POST', `/sessions/${first.id}/start`, eng2.headers);
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ state: 'active', startedAt: MONDAY_20_CST, startedBy: eng2.username, queuePosition: null });
    await waitFor(() => customer.states.some((s) => s.queuePosition === 1), { timeoutMs: 5000, what: 'queue position update' });
    expect((await detail(second.id)).queuePosition).toBe(1);
    expect((await detail(logistics.id)).queuePosition).toBe(1);
    const listed = await f.api<Array<{ id: number }>>('GET', '/sessions?state=queued', tech.headers);
    expect(listed.body.map((s) => s.id)).toEqual(expect.arrayContaining([second.id, logistics.id]));
    expect(listed.body.map((s) => s.id)).not.toContain(first.id);
  });

  it('refuses commands in a queued session until an engineer starts it', async () => {
    f.setNow(MONDAY_20_CST);
    const { serial } = await f.register();
    const session = await open(serial);
    const e1 = await connected({ token: eng1.token });
    await joined(e1, session.id);
    expect(await e1.request('session.command', { sessionId: session.id, name: 'ping' })).toEqual({
      ok: false,
      error: { code: 'SESSION_NOT_STARTED', details: { id: session.id, state: 'queued' } },
    });
    expect(await e1.request('session.chat', { sessionId: session.id, text: 'we start at nine' })).toMatchObject({ ok: true });
  });

  it('opens a session inside support hours as active, tells the sessions channel, and allows only one per box', async () => {
    f.setNow(MONDAY_10_CST);
    const { serial } = await f.register();
    const watcher = await connected({ token: tech.token });
    expect(await watcher.request('subscribe', { channel: 'sessions' })).toEqual({ ok: true, channel: 'sessions' });
    const session = await open(serial);
    expect(session).toMatchObject({ state: 'active', startedBy: eng1.username, queuePosition: null, supportOpensAt: null });
    await waitFor(() => watcher.live.find((e) => e.type === 'session.opened' && e.id === session.id), { timeoutMs: 5000, what: 'session.opened' });
    const again = await f.api('POST', '/sessions', eng2.headers, { serial });
    expect(again).toEqual({
      status: 409,
      body: { error: 'SESSION_ALREADY_OPEN', message: ERROR_MESSAGES.SESSION_ALREADY_OPEN.en, details: { serial, sessionId: session.id } },
    });
  });
});

describe('ending a session', () => {
  it('escalating opens an RMA ticket that carries the timeline, and answers its id', async () => {
    f.setNow(MONDAY_10_CST);
    const box = await f.boxOnline();
    const session = await open(box.serial);
    const e1 = await connected({ token: eng1.token });
    await joined(e1, session.id);
    await e1.request('session.chat', { sessionId: session.id, text: 'Please check the 24 V supply' });
    await e1.request('session.note', { sessionId: session.id, text: 'Power board does not start: send it in' });
    await e1.request('session.command', { sessionId: session.id, name: 'ping' });

    const ended = await f.api<SessionDetail>('POST', `/sessions/${session.id}/outcome`, eng1.headers, {
      outcome: 'escalated',
      reason: 'power board dead',
    });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ state: 'ended', outcome: 'escalated', outcomeReason: 'power board dead', ticketId: expect.any(Number) });
    const ticket = await f.api<{ ticket: { serial: string }; notes: Array<{ by: string; text: string }> }>(
      'GET',
      `/tickets/${ended.body.ticketId}`,
      eng1.headers,
    );
    expect(ticket.body.ticket.serial).toBe(box.serial);
    const note = ticket.body.notes.at(-1)!;
    expect(note.by).toBe(eng1.username);
    expect(note.text).toContain(`Remote-guidance session #${session.id} on ${box.serial}, ended escalated by ${eng1.username}: power board dead`);
    expect(note.text).toContain(`${eng1.username}: Please check the 24 V supply`);
    expect(note.text).toContain(`${eng1.username} (note): Power board does not start: send it in`);
    expect(note.text).toContain('ping → succeeded');
    // The room hears the end, with the ticket.
    await waitFor(() => e1.states.some((s) => s.state === 'ended' && s.ticketId === ended.body.ticketId), { timeoutMs: 5000, what: 'ended state' });
    expect(ended.body.timeline.at(-1)).toMatchObject({
      kind: 'system',
      data: { action: 'ended', outcome: 'escalated', ticketId: ended.body.ticketId },
    });
  });

  it('escalating a session opened from a remote case escalates the case, whose ticket carries the timeline', async () => {
    f.setNow(MONDAY_10_CST);
    const box = await f.boxOnline();
    box.raiseFault({ code: 'NTP_UNSYNCED', severity: 'error', message: 'clock not synchronised' });
    const [remoteCase] = await waitFor(
      async () => {
        const cases = (await f.api<Array<{ id: number; state: string }>>('GET', `/cases?serial=${box.serial}`, eng1.headers)).body;
        return cases.length > 0 ? cases : null;
      },
      { timeoutMs: 10_000, what: 'a remote case from triage' },
    );
    const session = await open(box.serial, eng1, { caseId: remoteCase!.id });
    expect(session.caseId).toBe(remoteCase!.id);
    const ended = await f.api<SessionDetail>('POST', `/sessions/${session.id}/outcome`, eng1.headers, {
      outcome: 'escalated',
      reason: 'RTC battery flat',
    });
    expect(ended.status).toBe(200);
    const theCase = await f.api<{ state: string; ticketId: number | null }>('GET', `/cases/${remoteCase!.id}`, eng1.headers);
    expect(theCase.body).toMatchObject({ state: 'escalated', ticketId: ended.body.ticketId });
    const ticket = await f.api<{ notes: Array<{ text: string }>; origin: { kind: string } }>('GET', `/tickets/${ended.body.ticketId}`, eng1.headers);
    expect(
      ticket.body.notes.some((n) => n.text.startsWith(`Remote-guidance session #${session.id} on ${box.serial} (remote case #${remoteCase!.id})`)),
    ).toBe(true);
  });

  it('refuses to end a session twice, and to resolve a queued one nobody worked', async () => {
    f.setNow(MONDAY_10_CST);
    const { serial } = await f.register();
    const session = await open(serial);
    expect(
      (await f.api('POST', `/sessions/${session.id}/outcome`, eng1.headers, { outcome: 'resolved-remotely', reason: 'baud rate fixed' })).status,
    ).toBe(200);
    expect(await f.api('POST', `/sessions/${session.id}/outcome`, eng1.headers, { outcome: 'abandoned', reason: 'again' })).toEqual({
      status: 409,
      body: {
        error: 'SESSION_INVALID_TRANSITION',
        message: ERROR_MESSAGES.SESSION_INVALID_TRANSITION.en,
        details: { code: 'SESSION_INVALID_TRANSITION', from: 'ended', to: 'ended', allowed: [], outcome: 'abandoned' },
      },
    });
    f.setNow(MONDAY_20_CST);
    const queued = await open((await f.register()).serial);
    const refused = await f.api<{ error: string; details: Record<string, unknown> }>('POST', `/sessions/${queued.id}/outcome`, eng1.headers, {
      outcome: 'resolved-remotely',
      reason: 'x',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.details).toMatchObject({ from: 'queued', allowedOutcomes: ['abandoned'] });
  });

  it('ends the customer connection once the session ended, and takes no more chat', async () => {
    f.setNow(MONDAY_10_CST);
    const { serial } = await f.register();
    const session = await open(serial);
    const token = await linkFor(session.id);
    const customer = await connected({ sessionLink: token });
    await joined(customer, session.id);
    const e1 = await connected({ token: eng1.token });
    await joined(e1, session.id);
    await f.api('POST', `/sessions/${session.id}/outcome`, eng1.headers, { outcome: 'resolved-remotely', reason: 'works again' });
    await waitFor(() => customer.states.some((s) => s.state === 'ended'), { timeoutMs: 5000, what: 'ended state at the customer' });
    expect(await e1.request('session.chat', { sessionId: session.id, text: 'bye' })).toEqual({
      ok: false,
      error: { code: 'SESSION_ENDED', details: { id: session.id, state: 'ended' } },
    });
    expect(await customer.request('session.chat', { sessionId: session.id, text: 'thanks!' })).toEqual({
      ok: false,
      error: { code: 'UNAUTHENTICATED', details: { reason: 'closed' } },
    });
    await waitFor(() => customer.disconnectReason === 'io server disconnect', { timeoutMs: 5000, what: 'customer disconnected' });
  });
});

describe("the box's live data", () => {
  it('adds faults and events to the timeline and relays telemetry to the room without storing it', async () => {
    f.setNow(MONDAY_10_CST);
    const box = await f.boxOnline();
    const session = await open(box.serial);
    const e1 = await connected({ token: eng1.token });
    await joined(e1, session.id);
    box.publishTelemetry();
    box.raiseFault({ code: 'PLC_LINK_DOWN', severity: 'error', message: 'no answer from the PLC' });
    box.recordEvent('tamper', { lid: 'opened' });
    await waitFor(() => e1.telemetry.length > 0, { timeoutMs: 5000, what: 'session.telemetry' });
    expect(e1.telemetry[0]).toMatchObject({ sessionId: session.id, serial: box.serial, ts: MONDAY_10_CST, metrics: expect.any(Object) });
    await waitFor(() => e1.timeline.some((e) => e.kind === 'event'), { timeoutMs: 5000, what: 'event entry' });
    // Telemetry went to the room only: the stored timeline has no trace of it.
    expect((await detail(session.id)).timeline.map((e) => e.kind)).toEqual(['system', 'participant-joined', 'fault', 'event']);
    const fromBox = e1.timeline.filter((e) => e.author.kind === 'box');
    expect(fromBox).toEqual([
      expect.objectContaining({
        kind: 'fault',
        data: expect.objectContaining({ code: 'PLC_LINK_DOWN', severity: 'error', state: 'raised', message: 'no answer from the PLC' }),
      }),
      expect.objectContaining({ kind: 'event', data: expect.objectContaining({ type: 'tamper', details: { lid: 'opened' } }) }),
    ]);
  });

  it('snapshots the box telemetry into the timeline when a session starts', async () => {
    f.setNow(MONDAY_20_CST);
    const box = await f.boxOnline();
    box.publishTelemetry();
    const session = await open(box.serial);
    await waitFor(
      async () => {
        const device = await f.api<{ metrics: { values: Record<string, number> } }>('GET', `/devices/${box.serial}`, eng1.headers);
        return Object.keys(device.body.metrics.values).length > 0;
      },
      { timeoutMs: 5000, what: 'telemetry in the shadow' },
    );
    const started = await f.api<SessionDetail>('POST', `/sessions/${session.id}/start`, eng1.headers);
    expect(started.body.timeline.at(-1)).toMatchObject({
      kind: 'telemetry-snapshot',
      author: { kind: 'box', serial: box.serial },
      data: { metrics: expect.any(Object) },
    });
  });
});

describe('payloads and permissions', () => {
  let e1: SessionClient;
  let sessionId: number;
  beforeAll(async () => {
    f.setNow(MONDAY_10_CST);
    sessionId = (await open((await f.register()).serial)).id;
    e1 = await connected({ token: eng1.token });
    await joined(e1, sessionId);
  });

  it.each([
    ['session.join', 'a string session id', () => [{ sessionId: String(sessionId) }], [{ path: 'sessionId', message: expect.any(String) }]],
    ['session.join', 'a negative afterSeq', () => [{ sessionId, afterSeq: -1 }], [{ path: 'afterSeq', message: expect.any(String) }]],
    ['session.chat', 'blank text', () => [{ sessionId, text: '   ' }], [{ path: 'text', message: expect.any(String) }]],
    [
      'session.chat',
      'an extra field',
      () => [{ sessionId, text: 'hi', html: '<b>hi</b>' }],
      [{ path: '', message: expect.stringContaining('html') }],
    ],
    ['session.note', 'text over 4000 characters', () => [{ sessionId, text: 'x'.repeat(4001) }], [{ path: 'text', message: expect.any(String) }]],
    ['session.command', 'an unknown command', () => [{ sessionId, name: 'format-disk' }], [{ path: 'name', message: expect.any(String) }]],
    [
      'session.command',
      'a timeout under 500 ms',
      () => [{ sessionId, name: 'ping', timeoutMs: 10 }],
      [{ path: 'timeoutMs', message: expect.any(String) }],
    ],
    ['session.leave', 'no payload', () => [], [{ path: '', message: 'expected one payload argument' }]],
  ])('answers VALIDATION_FAILED to %s with %s', async (event, _name, args, details) => {
    expect(await e1.request(event, ...args())).toEqual({ ok: false, error: { code: 'VALIDATION_FAILED', details } });
  });

  it('keeps chat as text: markup arrives exactly as it was written', async () => {
    const text = '<img src=x onerror=alert(1)> & <b>bold</b>';
    const { seq } = await e1.request<{ seq: number }>('session.chat', { sessionId, text });
    await waitFor(() => e1.timeline.some((e) => e.seq === seq && e.sessionId === sessionId), { timeoutMs: 5000, what: 'chat entry' });
    expect(e1.timeline.find((e) => e.seq === seq && e.sessionId === sessionId)).toMatchObject({ kind: 'chat', data: { text } });
    expect((await detail(sessionId)).timeline.find((e) => e.seq === seq)).toMatchObject({ data: { text } });
  });

  it('lets every role read sessions but only engineers and admins open them', async () => {
    expect((await f.api('GET', `/sessions/${sessionId}`, tech.headers)).status).toBe(200);
    expect(await f.api('POST', '/sessions', tech.headers, { serial: (await f.register()).serial })).toEqual({
      status: 403,
      body: { error: 'FORBIDDEN', message: ERROR_MESSAGES.FORBIDDEN.en, details: { action: 'sessions:write', role: 'technician' } },
    });
    expect((await f.api('POST', `/sessions/${sessionId}/links`, tech.headers, {})).status).toBe(403);
  });

  it('answers VALIDATION_FAILED over HTTP for a bad outcome or link lifetime', async () => {
    expect((await f.api('POST', `/sessions/${sessionId}/outcome`, eng1.headers, { outcome: 'fixed', reason: 'x' })).status).toBe(400);
    expect((await f.api('POST', `/sessions/${sessionId}/links`, eng1.headers, { ttlMinutes: 1 })).status).toBe(400);
  });
});
