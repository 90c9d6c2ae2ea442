import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVIDENCE_TYPES, type ParamSet } from '../services/contract/payloads.ts';
import { insertCase, insertIncident } from '../services/after-sales/diagnostics/store/case-store.ts';
import type { CommandActor, CommandInput, CommandOutcome, CommandPort } from '../services/edge/commands/domain/command-port.ts';
import { insertCommand } from '../services/edge/commands/store/command-store.ts';
import { appendEntries } from '../services/remote-support/sessions/store/timeline-store.ts';
import { renderOpenApi } from '../services/write-openapi.ts';
import { startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';
import { ERROR_MESSAGES } from '../services/platform/http/error-messages.ts';

/*
 * Every list the API pages, walked a page at a time over HTTP on real stores: each row once,
 * in order; a row added between pages neither repeats nor pushes another into the next page;
 * filters apply before paging; a bad cursor or limit is a 400 naming the field. Rows come
 * through the API where it creates them (backups, sessions, platform tickets, triage
 * decisions) and straight into the stores where only a box or triage would (faults, events,
 * commands, cases, incidents).
 */

type Key = string | number;

/** One paged list: where it is, where its rows sit in the answer, and the rows it holds. */
interface Listing {
  name: string;
  /** The list without filters (a box's lists: that box's rows only). */
  path: string;
  /** Object answers: the member holding the rows, beside `nextCursor`; arrays carry X-Next-Cursor. */
  member?: string;
  /** Every row of `path`, in the order the list answers them. */
  expected(): Promise<Key[]>;
  /** A query string of filters and the rows it keeps, in order. */
  filtered(): Promise<{ query: string; expected: Key[] }>;
  /** Adds a row that sorts before every row already listed; answers its key. */
  addNewest(): Promise<Key>;
  /** A cursor of the right encoding but the wrong key shape for this list. */
  foreignCursor: string;
}

const BOX = { faults: 'MTB2712000001', other: 'MTB2712000002', triage: 'MTB2712000003', cases: 'MTB2712000004', sessions: 'MTB2712000005' };

let api: ApiFixture;
let engineer: Record<string, string>;
let admin: Record<string, string>;
let afterSales: Record<string, string>;

/**
 * Stands in for a box's parameter set behind the same CommandPort the command service
 * implements: every params.get answers a new `report.intervalSec`, so each backup is a new
 * snapshot rather than a repeat of the newest.
 */
class ChangingParams implements CommandPort {
  private reads = 0;
  async send(_serial: string, input: CommandInput, _actor: CommandActor): Promise<CommandOutcome> {
    const id = `read-${++this.reads}`;
    if (input.name !== 'params.get') return { id, status: 'failed', error: { code: 'unknown-command', message: input.name } };
    const params: ParamSet = { 'network.apn': 'cmiot', 'report.intervalSec': 10 + this.reads };
    return { id, status: 'succeeded', result: params };
  }
}

async function call(method: string, path: string, json?: unknown, headers = admin): Promise<unknown> {
  const res = await api.request(method, path, { headers, ...(json !== undefined ? { json } : {}) });
  if (res.status !== 200 && res.status !== 201) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function deviceId(serial: string): Promise<number> {
  return (await api.registry.findBySerial(serial))!.id;
}

/** Rows newest first by (time, tie-break): the order of time-sorted lists. */
function newestFirst<T>(rows: T[], time: (r: T) => number, tie: (r: T) => Key): T[] {
  return [...rows].sort((a, b) => time(b) - time(a) || (tie(b) > tie(a) ? 1 : tie(b) < tie(a) ? -1 : 0));
}

interface Page {
  keys: Key[];
  next: string | null;
}

async function page(listing: Listing, query: string, limit: number | null, cursor: string | null): Promise<Page> {
  const params = [query, limit === null ? '' : `limit=${limit}`, cursor === null ? '' : `cursor=${encodeURIComponent(cursor)}`].filter(Boolean);
  const res = await api.request('GET', `${listing.path}${params.length > 0 ? `?${params.join('&')}` : ''}`, { headers: engineer });
  expect(res.status, `${listing.name} ${query}`).toBe(200);
  const body = (await res.json()) as Record<string, unknown> | Array<{ id: Key }>;
  if (listing.member) {
    const object = body as Record<string, unknown>;
    expect(res.headers.get('x-next-cursor')).toBeNull();
    return { keys: (object[listing.member] as Array<{ id: Key }>).map((r) => r.id), next: object.nextCursor as string | null };
  }
  return { keys: (body as Array<{ id: Key }>).map((r) => r.id), next: res.headers.get('x-next-cursor') };
}

/** Every page of the list with this filter, following the cursor; `between` runs after the first page. */
async function walk(listing: Listing, query: string, limit: number, between?: () => Promise<unknown>): Promise<Key[][]> {
  const pages: Key[][] = [];
  let cursor: string | null = null;
  do {
    const p = await page(listing, query, limit, cursor);
    pages.push(p.keys);
    cursor = p.next;
    if (pages.length === 1) await between?.();
  } while (cursor !== null && pages.length <= 100);
  return pages;
}

function expectFullPages(pages: Key[][], limit: number): void {
  expect(pages.slice(0, -1).every((p) => p.length === limit)).toBe(true);
  expect(pages.at(-1)!.length).toBeGreaterThan(0);
}

const b64 = (json: unknown) => Buffer.from(JSON.stringify(json)).toString('base64url');
const LISTINGS: Listing[] = [];

beforeAll(async () => {
  api = await startApiFixture({}, { commands: new ChangingParams() });
  engineer = await api.headersFor('engineer');
  admin = await api.headersFor('admin');
  afterSales = await api.headersFor('after-sales');
  for (const serial of Object.values(BOX)) {
    await call('POST', '/api/devices', { serial, model: 'MT-BOX-4G', firmware: '2.4.1', saleDate: '2025-01-01', receiptDate: '2025-01-10' });
  }
  LISTINGS.push(
    await faultListing(),
    await eventListing(),
    await decisionListing(),
    await commandListing(),
    await backupListing(),
    await caseListing(),
    await incidentListing(),
    await sessionListing(),
    await platformListing(),
  );
}, 120_000);
afterAll(() => api.close());

/** Box times with ties, so the row id has to break them; stored out of time order. */
const OFFSETS = [5, 1, 9, 3, 3, 7, 0, 12, 7, 7, 2, 11, 4];

async function faultListing(): Promise<Listing> {
  const [id, other] = [await deviceId(BOX.faults), await deviceId(BOX.other)];
  const t0 = api.now() - 3_600_000;
  const stored: Array<{ id: string; ts: number; n: number }> = [];
  let n = 0;
  const save = async (deviceId: number, ts: number) => {
    const fault = { id: `f-${++n}`, ts, receivedAt: api.now(), code: 'ETH_LINK_DOWN', severity: 'warning' as const };
    await api.intake.saveFault({ deviceId, ...fault });
    if (deviceId === id) stored.push({ id: fault.id, ts, n });
    return fault.id;
  };
  for (const off of OFFSETS) await save(id, t0 + off * 1000);
  for (const off of [1, 6]) await save(other, t0 + off * 1000);
  const ordered = () =>
    newestFirst(
      stored,
      (f) => f.ts,
      (f) => f.n,
    ).map((f) => f.id);
  return {
    name: 'faults',
    path: `/api/devices/${BOX.faults}/faults`,
    member: 'faults',
    expected: async () => ordered(),
    async filtered() {
      const [from, to] = [t0 + 3000, t0 + 9000];
      const keep = new Set(stored.filter((f) => f.ts >= from && f.ts <= to).map((f) => f.id));
      return { query: `from=${from}&to=${to}`, expected: ordered().filter((k) => keep.has(k)) };
    },
    addNewest: () => save(id, api.now()),
    foreignCursor: b64(7),
  };
}

async function eventListing(): Promise<Listing> {
  const id = await deviceId(BOX.faults);
  const t0 = api.now() - 3_600_000;
  const stored: Array<{ id: string; ts: number; n: number; type: string }> = [];
  let n = 0;
  const save = async (ts: number) => {
    const event = { id: `e-${++n}`, ts, receivedAt: api.now(), type: EVIDENCE_TYPES[n % EVIDENCE_TYPES.length]! };
    await api.intake.saveEvent({ deviceId: id, ...event });
    stored.push({ ...event, n });
    return event.id;
  };
  for (const off of OFFSETS) await save(t0 + off * 1000);
  const ordered = () =>
    newestFirst(
      stored,
      (e) => e.ts,
      (e) => e.n,
    ).map((e) => e.id);
  return {
    name: 'events',
    path: `/api/devices/${BOX.faults}/events`,
    member: 'events',
    expected: async () => ordered(),
    async filtered() {
      const from = t0 + 4000;
      const keep = new Set(stored.filter((e) => e.ts >= from).map((e) => e.id));
      return { query: `from=${from}`, expected: ordered().filter((k) => keep.has(k)) };
    },
    addNewest: () => save(api.now()),
    foreignCursor: b64('e-3'),
  };
}

/** Decisions come from triage itself: each fault the box reports is decided once. */
async function decisionListing(): Promise<Listing> {
  const [id, other] = [await deviceId(BOX.triage), await deviceId(BOX.other)];
  let n = 0;
  const report = async (deviceId: number) => {
    const saved = await api.intake.saveFault({
      deviceId,
      id: `t-${++n}`,
      ts: api.now(),
      receivedAt: api.now(),
      code: 'DNS_RESOLUTION_FAILED',
      severity: 'warning',
    });
    if (!saved.stored) throw new Error('fault not stored');
    api.afterSales.diagnostics.enqueue('fault', saved.rowId);
    await api.afterSales.diagnostics.idle();
    api.advance(1000);
  };
  for (let i = 0; i < 11; i++) await report(id);
  await report(other);
  const ids = async (serial: string) =>
    (
      await api.db
        .selectFrom('triage_decisions as t')
        .innerJoin('devices as d', 'd.id', 't.device_id')
        .select('t.id')
        .where('d.serial', '=', serial)
        .orderBy('t.id', 'desc')
        .execute()
    ).map((r) => r.id);
  expect(await ids(BOX.triage)).toHaveLength(11);
  return {
    name: 'decisions',
    path: `/api/devices/${BOX.triage}/decisions`,
    expected: () => ids(BOX.triage),
    // The box in the path is the filter: the other box's decision stays out.
    filtered: async () => ({ query: '', expected: await ids(BOX.triage) }),
    async addNewest() {
      await report(id);
      return (await ids(BOX.triage))[0]!;
    },
    foreignCursor: b64([1, 2]),
  };
}

async function commandListing(): Promise<Listing> {
  const [id, other] = [await deviceId(BOX.faults), await deviceId(BOX.other)];
  const t0 = api.now() - 600_000;
  const stored: Array<{ id: string; at: number }> = [];
  const insert = async (deviceId: number, cid: string, at: number) => {
    const record = {
      id: cid,
      name: 'ping',
      args: {},
      requestedBy: 'admin-user',
      sessionId: null,
      requestedAt: at,
      timeoutMs: 10_000,
      deadline: at + 10_000,
    };
    await insertCommand(api.db, deviceId, record, 'offline');
    if (deviceId === id) stored.push({ id: cid, at });
    return cid;
  };
  // Ids out of time order, and several commands in one millisecond: the id breaks the tie.
  for (const [i, off] of OFFSETS.entries()) await insert(id, `cmd-${String((i * 7) % 13).padStart(2, '0')}`, t0 + off * 1000);
  await insert(other, 'cmd-other', t0 + 5000);
  const ordered = () =>
    newestFirst(
      stored,
      (c) => c.at,
      (c) => c.id,
    ).map((c) => c.id);
  let added = 0;
  return {
    name: 'commands',
    path: `/api/devices/${BOX.faults}/commands`,
    expected: async () => ordered(),
    filtered: async () => ({ query: '', expected: ordered() }),
    addNewest: () => insert(id, `cmd-new-${++added}`, api.now() + added),
    foreignCursor: b64([1, 2]),
  };
}

async function backupListing(): Promise<Listing> {
  const taken: number[] = [];
  const backup = async () => {
    const created = (await call('POST', `/api/devices/${BOX.faults}/backups`, { reason: 'manual', note: `n${taken.length}` })) as {
      id: number;
      deduplicated: boolean;
    };
    expect(created.deduplicated).toBe(false);
    taken.push(created.id);
    return created.id;
  };
  for (let i = 0; i < 11; i++) await backup();
  await call('POST', `/api/devices/${BOX.other}/backups`, { reason: 'manual' });
  return {
    name: 'backups',
    path: `/api/devices/${BOX.faults}/backups`,
    expected: async () => [...taken].reverse(),
    filtered: async () => ({ query: '', expected: [...taken].reverse() }),
    addNewest: backup,
    foreignCursor: b64('12'),
  };
}

async function caseListing(): Promise<Listing> {
  const [id, other] = [await deviceId(BOX.cases), await deviceId(BOX.other)];
  const mine: number[] = [];
  const moved = new Set<number>();
  const open = async (deviceId: number) => {
    const cid = await insertCase(api.db, {
      deviceId,
      code: 'ETH_LINK_DOWN',
      queue: 'smart-factory',
      openedAt: api.now(),
      openedBy: 'triage',
      incidentId: null,
      firstFaultAt: null,
    });
    if (deviceId === id) mine.push(cid);
    return cid;
  };
  for (let i = 0; i < 12; i++) await open(i % 3 === 2 ? other : id);
  for (const cid of mine.filter((_, i) => i % 2 === 0)) {
    await call('POST', `/api/cases/${cid}/transitions`, { to: 'in-progress', reason: 'calling the site' });
    moved.add(cid);
  }
  const all = async () => (await api.db.selectFrom('remote_cases').select('id').orderBy('id', 'desc').execute()).map((r) => r.id);
  return {
    name: 'cases',
    path: '/api/cases',
    expected: all,
    filtered: async () => ({ query: `serial=${BOX.cases}&state=in-progress`, expected: [...mine].reverse().filter((c) => moved.has(c)) }),
    addNewest: () => open(other),
    foreignCursor: b64('MTB2712000004'),
  };
}

async function incidentListing(): Promise<Listing> {
  const acknowledged: number[] = [];
  const open = () =>
    insertIncident(api.db, { code: 'CELL_WEAK_SIGNAL', model: 'MT-BOX-4G', firmware: '2.4.1', openedAt: api.now(), note: 'many boxes' });
  for (let i = 0; i < 11; i++) {
    const iid = await open();
    if (i % 3 !== 1) continue;
    await call('POST', `/api/incidents/${iid}/transitions`, { to: 'acknowledged', reason: 'the carrier knows' });
    acknowledged.push(iid);
  }
  const all = async () => (await api.db.selectFrom('fleet_incidents').select('id').orderBy('id', 'desc').execute()).map((r) => r.id);
  return {
    name: 'incidents',
    path: '/api/incidents',
    expected: all,
    filtered: async () => ({ query: 'state=acknowledged', expected: [...acknowledged].reverse() }),
    addNewest: open,
    foreignCursor: b64(['open']),
  };
}

let longSession = 0;

async function sessionListing(): Promise<Listing> {
  const ended: number[] = [];
  const open = async (serial: string) => ((await call('POST', '/api/sessions', { serial })) as { id: number }).id;
  for (let i = 0; i < 8; i++) {
    const sid = await open(BOX.sessions);
    await call('POST', `/api/sessions/${sid}/outcome`, { outcome: 'abandoned', reason: 'the customer hung up' });
    ended.push(sid);
  }
  for (let i = 0; i < 3; i++) {
    const sid = await open(BOX.other);
    await call('POST', `/api/sessions/${sid}/outcome`, { outcome: 'abandoned', reason: 'the customer hung up' });
  }
  longSession = await open(BOX.sessions);
  const all = async () => (await api.db.selectFrom('remote_sessions').select('id').orderBy('id', 'desc').execute()).map((r) => r.id);
  let added = 0;
  return {
    name: 'sessions',
    path: '/api/sessions',
    expected: all,
    filtered: async () => ({ query: `serial=${BOX.sessions}&state=ended`, expected: [...ended].reverse() }),
    async addNewest() {
      // A box has one open session at a time: each newcomer is ended, leaving the box free.
      const sid = await open(BOX.cases);
      await call('POST', `/api/sessions/${sid}/outcome`, { outcome: 'abandoned', reason: `added ${++added}` });
      return sid;
    },
    foreignCursor: b64(-4),
  };
}

async function platformListing(): Promise<Listing> {
  const outOfScope: number[] = [];
  const submit = async () =>
    (
      (await call(
        'POST',
        '/api/platform-tickets',
        {
          project: 'Wuxi smart water',
          reporter: 'Li Wei',
          contact: '0510-12345678',
          description: 'Dashboard shows no data since 08:00',
          severity: 'high',
          occurredAt: api.now() - 3_600_000,
        },
        afterSales,
      )) as { id: number }
    ).id;
  for (let i = 0; i < 11; i++) {
    const tid = await submit();
    if (i % 4 !== 0) continue;
    await call(
      'POST',
      `/api/platform-tickets/${tid}/transitions`,
      {
        to: 'out-of-scope',
        reason: 'not covered by platform maintenance',
        payload: { basis: { kind: 'maintenance-period-ended', endedOn: '2025-03-31' }, solutionOffered: 'restore from the nightly backup' },
      },
      afterSales,
    );
    outOfScope.push(tid);
  }
  const all = async () => (await api.db.selectFrom('platform_tickets').select('id').orderBy('id', 'desc').execute()).map((r) => r.id);
  return {
    name: 'platform tickets',
    path: '/api/platform-tickets',
    expected: all,
    filtered: async () => ({ query: 'state=out-of-scope', expected: [...outOfScope].reverse() }),
    addNewest: submit,
    foreignCursor: b64('1'),
  };
}

describe('paging every list', () => {
  it('answers every row exactly once, in order, in full pages, ending without a cursor', async () => {
    for (const listing of LISTINGS) {
      const expected = await listing.expected();
      expect(expected.length, listing.name).toBeGreaterThan(9);
      for (const limit of [4, 5]) {
        const pages = await walk(listing, '', limit);
        expect(pages.flat(), `${listing.name} by ${limit}`).toEqual(expected);
        expect(pages).toHaveLength(Math.ceil(expected.length / limit));
        expectFullPages(pages, limit);
      }
      const exact = await page(listing, '', expected.length, null);
      expect([exact.keys, exact.next], `${listing.name} in one exact page`).toEqual([expected, null]);
    }
  });

  it('answers a small list whole to a client that sends no limit, as before paging', async () => {
    for (const listing of LISTINGS) {
      const whole = await page(listing, '', null, null);
      expect([whole.keys, whole.next], listing.name).toEqual([await listing.expected(), null]);
    }
  });

  it('neither repeats nor skips a row when a newer one arrives between pages', async () => {
    for (const listing of LISTINGS) {
      const before = await listing.expected();
      let added: Key | null = null;
      const pages = await walk(listing, '', 3, async () => {
        added = await listing.addNewest();
      });
      expect(pages.flat(), listing.name).toEqual(before);
      // The newcomer sorts first: the next walk starts with it.
      expect((await page(listing, '', 3, null)).keys[0], listing.name).toBe(added);
      expect(await listing.expected(), listing.name).toEqual([added, ...before]);
    }
  });

  it('applies filters before paging: only matching rows, in order, in full pages', async () => {
    for (const listing of LISTINGS) {
      const { query, expected } = await listing.filtered();
      expect(expected.length, `${listing.name} ${query}`).toBeGreaterThan(2);
      const pages = await walk(listing, query, 2);
      expect(pages.flat(), `${listing.name} ${query}`).toEqual(expected);
      expectFullPages(pages, 2);
    }
  });

  it('answers 400 VALIDATION_FAILED naming the field for a cursor it did not answer or a limit out of bounds', async () => {
    for (const listing of LISTINGS) {
      for (const cursor of ['not*base64', 'bad/cursor', Buffer.from('{oops').toString('base64url'), listing.foreignCursor]) {
        const res = await api.request('GET', `${listing.path}?cursor=${encodeURIComponent(cursor)}`, { headers: engineer });
        expect(res.status, `${listing.name} ${cursor}`).toBe(400);
        expect(await res.json()).toMatchObject({
          error: 'VALIDATION_FAILED',
          message: ERROR_MESSAGES.VALIDATION_FAILED.en,
          details: [{ in: 'query', path: 'cursor' }],
        });
      }
      for (const limit of ['1001', '0', 'ten', '-1']) {
        const res = await api.request('GET', `${listing.path}?limit=${limit}`, { headers: engineer });
        expect(res.status, `${listing.name} ${limit}`).toBe(400);
        expect(await res.json()).toMatchObject({
          error: 'VALIDATION_FAILED',
          message: ERROR_MESSAGES.VALIDATION_FAILED.en,
          details: [{ in: 'query', path: 'limit' }],
        });
      }
    }
  });
});

interface Detail {
  timeline: Array<{ seq: number; kind: string }>;
  nextAfterSeq: number | null;
  commands: Array<{ seq: number; result: unknown }>;
}

describe('paging the timeline of a long session', () => {
  async function detail(query = ''): Promise<Detail> {
    const res = await api.request('GET', `/api/sessions/${longSession}${query}`, { headers: engineer });
    expect(res.status).toBe(200);
    return (await res.json()) as Detail;
  }

  /** Appends entries as the session's writers do, in one transaction with the seq counter. */
  async function append(entries: Parameters<typeof appendEntries>[2]): Promise<void> {
    await api.db.transaction().execute((tx) => appendEntries(tx, longSession, entries));
  }

  const user = { kind: 'user' as const, username: 'engineer-user', role: 'engineer' as const };
  const note = (text: string) => ({ at: api.now(), author: user, kind: 'note' as const, data: { text } });

  it('answers the whole timeline by default, and parts after `afterSeq` that join up to it, with every command in each', async () => {
    await append([
      { at: api.now(), author: user, kind: 'command', data: { name: 'ping', args: {}, timeoutMs: 10_000 } },
      ...Array.from({ length: 20 }, (_, i) => note(`step ${i + 1}`)),
    ]);
    const first = await detail();
    const commandSeq = first.timeline.find((e) => e.kind === 'command')!.seq;
    await append([
      {
        at: api.now(),
        author: { kind: 'box', serial: BOX.sessions },
        kind: 'command-result',
        data: { commandSeq, commandId: 'c-1', status: 'succeeded', result: { pong: true }, error: null },
      },
    ]);
    const whole = await detail();
    expect(whole.nextAfterSeq).toBeNull();
    expect(whole.timeline.map((e) => e.seq)).toEqual(Array.from({ length: whole.timeline.length }, (_, i) => i + 1));
    expect(whole.timeline.length).toBeGreaterThan(22);
    expect(whole.commands).toEqual([expect.objectContaining({ seq: commandSeq, result: expect.objectContaining({ status: 'succeeded' }) })]);

    const parts: Detail[] = [];
    let afterSeq: number | null = 0;
    while (afterSeq !== null && parts.length < 20) {
      const part = await detail(`?afterSeq=${afterSeq}&limit=6`);
      parts.push(part);
      expect(part.commands).toEqual(whole.commands);
      afterSeq = part.nextAfterSeq;
      if (parts.length === 1) await append([note('written while the console was loading')]);
    }
    const seqs = parts.flatMap((p) => p.timeline.map((e) => e.seq));
    // Entries append at the end, so one written between parts arrives in the last part.
    expect(seqs).toEqual([...whole.timeline.map((e) => e.seq), whole.timeline.length + 1]);
    expect(parts.slice(0, -1).every((p) => p.timeline.length === 6)).toBe(true);
    expect(parts.at(-1)!.nextAfterSeq).toBeNull();
  });

  it('answers 400 VALIDATION_FAILED for an afterSeq or limit out of bounds', async () => {
    for (const [query, field] of [
      ['afterSeq=-1', 'afterSeq'],
      ['afterSeq=x', 'afterSeq'],
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
    ] as const) {
      const res = await api.request('GET', `/api/sessions/${longSession}?${query}`, { headers: engineer });
      expect(res.status, query).toBe(400);
      expect(await res.json()).toMatchObject({
        error: 'VALIDATION_FAILED',
        message: ERROR_MESSAGES.VALIDATION_FAILED.en,
        details: [{ in: 'query', path: field }],
      });
    }
  });
});

describe('the paging contract in OpenAPI', () => {
  type Operation = {
    parameters?: Array<{ name: string; in: string }>;
    responses: Record<
      string,
      { headers?: Record<string, unknown>; content?: Record<string, { schema: { type?: string; properties?: Record<string, unknown> } }> }
    >;
  };
  const doc = () => JSON.parse(renderOpenApi()) as { paths: Record<string, Record<string, Operation>> };
  const openApiPath = (path: string) => path.replace(/\/api\/devices\/MTB\w+\//, '/api/devices/{sn}/');

  it('documents limit and cursor, and nextCursor in the body or the X-Next-Cursor header, for every paged list', () => {
    for (const listing of LISTINGS) {
      const op = doc().paths[openApiPath(listing.path)]?.get;
      expect(op, listing.name).toBeDefined();
      expect(op!.parameters!.filter((p) => p.in === 'query').map((p) => p.name)).toEqual(expect.arrayContaining(['limit', 'cursor']));
      const ok = op!.responses['200']!;
      const schema = ok.content!['application/json']!.schema;
      if (listing.member) expect(Object.keys(schema.properties!), listing.name).toEqual(expect.arrayContaining([listing.member, 'nextCursor']));
      else expect([schema.type, Object.keys(ok.headers ?? {})], listing.name).toEqual(['array', ['X-Next-Cursor']]);
    }
  });

  it('documents afterSeq, limit and nextAfterSeq for a session timeline', () => {
    const op = doc().paths['/api/sessions/{id}']!.get!;
    expect(op.parameters!.filter((p) => p.in === 'query').map((p) => p.name)).toEqual(['afterSeq', 'limit']);
    expect(Object.keys(op.responses['200']!.content!['application/json']!.schema.properties!)).toContain('nextAfterSeq');
  });
});
