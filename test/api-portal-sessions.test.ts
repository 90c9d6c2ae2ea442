import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionSnapshot } from '../services/remote-support/sessions/domain/session-views.ts';
import { customerOrg, type CustomerOrg } from './helpers/customer-kit.ts';
import { asCustomerKitApi } from './helpers/portal-session-kit.ts';
import { startSessionFixture, type Account, type SessionFixture } from './helpers/session-fixture.ts';
import { ERROR_MESSAGES } from '../services/platform/http/error-messages.ts';

/*
 * Remote-guidance sessions in the customer portal, over the real backend: a session shows in
 * an organisation's portal once an engineer invited its people ("Create customer link") on
 * one of its boxes, and joining answers the customer page with a fresh one-time link, which a
 * socket.io client redeems like the customer page does.
 */

interface PortalSession {
  id: number;
  serial: string;
  state: string;
  openedAt: number;
  engineer: string;
  mayJoin: boolean;
}
interface JoinAck {
  ok: boolean;
  session: SessionSnapshot;
  you: { kind: string; participantId: number | null; resumeKey?: string };
}

let f: SessionFixture;
let engineer: Account;
let plantA: CustomerOrg;
let plantB: CustomerOrg;
let boxA: string;
let boxB: string;

async function openOn(serial: string): Promise<number> {
  const res = await f.api<{ id: number }>('POST', '/sessions', engineer.headers, { serial });
  if (res.status !== 201) throw new Error(`open on ${serial}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

async function invite(id: number): Promise<void> {
  const res = await f.api('POST', `/sessions/${id}/links`, engineer.headers, { label: 'plant operator' });
  if (res.status !== 201) throw new Error(`invite ${id}: ${res.status}`);
}

async function end(id: number): Promise<void> {
  const res = await f.api('POST', `/sessions/${id}/outcome`, engineer.headers, { outcome: 'resolved-remotely', reason: 'fixed' });
  if (res.status !== 200) throw new Error(`end ${id}: ${res.status}`);
}

const listed = async (org: CustomerOrg) => (await f.api<{ sessions: PortalSession[] }>('GET', '/portal/sessions', org.headers)).body.sessions;

beforeAll(async () => {
  f = await startSessionFixture();
  engineer = await f.account('engineer');
  boxA = (await f.register()).serial;
  boxB = (await f.register()).serial;
  const api = asCustomerKitApi(f);
  plantA = await customerOrg(api, 'Wuxi Water Works', [boxA], 'li.wei');
  plantB = await customerOrg(api, 'Suzhou Steel', [boxB], 'zhao.min');
});
afterAll(() => f.close());

describe('remote-guidance sessions in the portal', () => {
  it("lists a session on the organisation's box once a customer link was created for it, in its portal only", async () => {
    const id = await openOn(boxA);
    expect(await listed(plantA)).toEqual([]);
    await invite(id);
    expect(await listed(plantA)).toEqual([
      expect.objectContaining({ id, serial: boxA, state: 'active', openedAt: f.now(), engineer: engineer.username, mayJoin: true }),
    ]);
    expect(await listed(plantB)).toEqual([]);
    await end(id);
  });

  it('joins with a fresh link named after the account, answered as a customer page URL that opens the session', async () => {
    const id = await openOn(boxA);
    await invite(id);
    const join = await f.api<{ url: string; expiresAt: number }>('POST', `/portal/sessions/${id}/join`, plantA.headers);
    expect(join.status).toBe(200);
    const url = new URL(join.body.url);
    expect(url.origin).toBe(`http://127.0.0.1:${f.backend.app.httpPort}`);
    expect(url.pathname).toBe('/customer.html');
    const fragment = new URLSearchParams(url.hash.slice(1));
    expect(fragment.get('session')).toBe(String(id));
    expect(join.body.expiresAt).toBe(f.now() + 5 * 60_000);

    const customer = f.connect({ sessionLink: fragment.get('link') ?? '' });
    await customer.connected();
    const ack = await customer.request<JoinAck>('session.join', { sessionId: id });
    expect(ack.ok).toBe(true);
    expect(ack.you.kind).toBe('customer');
    expect(ack.session.participants).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'customer', label: 'li.wei' })]));
    await end(id);
  });

  it('refuses a session that has ended', async () => {
    const id = await openOn(boxA);
    await invite(id);
    await end(id);
    expect(await listed(plantA)).toEqual(expect.arrayContaining([expect.objectContaining({ id, state: 'ended', mayJoin: false })]));
    const join = await f.api('POST', `/portal/sessions/${id}/join`, plantA.headers);
    expect(join).toEqual({ status: 409, body: { error: 'SESSION_ENDED', message: ERROR_MESSAGES.SESSION_ENDED.en, details: { id } } });
  });

  it("answers a session nobody invited them to, and another organisation's, exactly like a missing one", async () => {
    const notInvited = await openOn(boxA);
    const ofB = await openOn(boxB);
    await invite(ofB);
    const missing = 999_999;
    for (const id of [notInvited, ofB, missing]) {
      const join = await f.api('POST', `/portal/sessions/${id}/join`, plantA.headers);
      expect(join).toEqual({ status: 404, body: { error: 'SESSION_NOT_FOUND', message: ERROR_MESSAGES.SESSION_NOT_FOUND.en, details: { id } } });
    }
    expect((await listed(plantA)).map((s) => s.id)).not.toContain(notInvited);
    expect((await listed(plantA)).map((s) => s.id)).not.toContain(ofB);
    expect((await listed(plantB)).map((s) => s.id)).toEqual([ofB]);
    // Nothing was minted for the refused joins: B's session still has only the engineer's link.
    const links = await f.backend.app.db.selectFrom('remote_session_links').select('created_by').where('session_id', '=', ofB).execute();
    expect(links.map((l) => l.created_by)).toEqual([engineer.username]);
    await Promise.all([end(notInvited), end(ofB)]);
  });

  it("does not hand a box's earlier sessions to the organisation it passes to", async () => {
    const moving = (await f.register()).serial;
    const staff = await f.account('after-sales');
    expect((await f.api('POST', `/organisations/${plantA.organisationId}/devices`, staff.headers, { serials: [moving] })).status).toBe(200);
    const before = await openOn(moving);
    await invite(before);
    expect((await listed(plantA)).map((s) => s.id)).toContain(before);
    await end(before);

    expect((await f.api('POST', `/organisations/${plantB.organisationId}/devices`, staff.headers, { serials: [moving] })).status).toBe(200);
    const after = await openOn(moving);
    await invite(after);
    expect((await listed(plantB)).map((s) => s.id)).toContain(after);
    expect((await listed(plantB)).map((s) => s.id)).not.toContain(before);
    expect((await listed(plantA)).map((s) => s.id)).not.toContain(after);
    expect((await listed(plantA)).map((s) => s.id)).not.toContain(before);
    const join = await f.api('POST', `/portal/sessions/${after}/join`, plantA.headers);
    expect(join).toEqual({ status: 404, body: { error: 'SESSION_NOT_FOUND', message: ERROR_MESSAGES.SESSION_NOT_FOUND.en, details: { id: after } } });
    await end(after);
  });

  it('keeps customers off the staff session routes', async () => {
    expect((await f.api('GET', '/sessions', plantA.headers)).status).toBe(403);
    expect((await f.api('POST', '/sessions', plantA.headers, { serial: boxA })).status).toBe(403);
  });
});
