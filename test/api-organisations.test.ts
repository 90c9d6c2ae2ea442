import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVITATION_TTL_MS } from '../services/platform/accounts/index.ts';
import { invitationToken } from './helpers/customer-kit.ts';
import { PASSWORD, startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';
import { ERROR_MESSAGES } from '../services/platform/http/error-messages.ts';

let api: ApiFixture;
let clerk: Record<string, string>;

async function register(serial: string) {
  const res = await api.request('POST', '/api/devices', { headers: await api.headersFor('admin'), json: { serial, model: 'MT-BOX-4G' } });
  expect(res.status).toBe(201);
}

async function json(res: Response) {
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  api = await startApiFixture();
  clerk = await api.headersFor('after-sales');
  await register('MTBORG0001');
  await register('MTBORG0002');
});
afterAll(() => api.close());

describe('customer organisations and invitations', () => {
  let orgId: number;
  let inviteUrl: string;

  it('lets after-sales record an organisation and refuses a second one of the same name in another case', async () => {
    const created = await json(
      await api.request('POST', '/api/organisations', {
        headers: clerk,
        json: {
          name: 'Huadong Water Works',
          businessLine: 'smart-environmental-protection',
          contacts: [{ name: 'Wang Fang', phone: '+86 21 5555 0101' }],
        },
      }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Huadong Water Works', deviceCount: 0, contacts: [{ name: 'Wang Fang' }] });
    orgId = created.body.id as number;
    const again = await json(await api.request('POST', '/api/organisations', { headers: clerk, json: { name: 'HUADONG water works' } }));
    expect(again).toEqual({ status: 409, body: { error: 'ORGANISATION_EXISTS', message: ERROR_MESSAGES.ORGANISATION_EXISTS.en, details: {} } });
  });

  it('links registered boxes and lists the serials it does not know instead of failing', async () => {
    const res = await json(
      await api.request('POST', `/api/organisations/${orgId}/devices`, { headers: clerk, json: { serials: ['MTBORG0001', 'MTBNOPE001'] } }),
    );
    expect(res).toEqual({ status: 200, body: { assigned: 1, unknown: ['MTBNOPE001'] } });
    const detail = await json(await api.request('GET', `/api/organisations/${orgId}`, { headers: clerk }));
    expect(detail.body.deviceCount).toBe(1);
  });

  it('refuses engineers and technicians the organisation writes', async () => {
    for (const role of ['engineer', 'technician'] as const) {
      const res = await api.request('POST', '/api/organisations', { headers: await api.headersFor(role), json: { name: `By ${role}` } });
      expect(res.status).toBe(403);
    }
  });

  it('invites a customer with a one-time URL that names the account and the organisation', async () => {
    const res = await json(await api.request('POST', `/api/organisations/${orgId}/invitations`, { headers: clerk, json: { username: 'wang.fang' } }));
    expect(res.status).toBe(201);
    inviteUrl = res.body.url as string;
    expect(inviteUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#\/invite\/[A-Za-z0-9_-]{43}$/);
    const shown = await json(await api.request('GET', `/api/invitations/${invitationToken(inviteUrl)}`));
    expect(shown).toEqual({
      status: 200,
      body: { username: 'wang.fang', organisation: 'Huadong Water Works', expiresAt: api.now() + INVITATION_TTL_MS },
    });
    const detail = await json(await api.request('GET', `/api/organisations/${orgId}`, { headers: clerk }));
    expect(detail.body.invitations).toEqual([
      { username: 'wang.fang', createdBy: 'after-sales-user', createdAt: api.now(), expiresAt: api.now() + INVITATION_TTL_MS },
    ]);
  });

  it('refuses a weak password and keeps the invitation usable', async () => {
    const token = invitationToken(inviteUrl);
    const weak = await json(await api.request('POST', `/api/invitations/${token}/accept`, { json: { password: 'passwordpassword' } }));
    expect(weak.status).toBe(400);
    expect(weak.body.error).toBe('PASSWORD_TOO_WEAK');
    expect((await api.request('GET', `/api/invitations/${token}`)).status).toBe(200);
  });

  it('creates the customer account on acceptance, signs it in, and the URL then stops working', async () => {
    const token = invitationToken(inviteUrl);
    const accepted = await json(await api.request('POST', `/api/invitations/${token}/accept`, { json: { password: PASSWORD } }));
    expect(accepted.status).toBe(200);
    expect(accepted.body.user).toEqual({ username: 'wang.fang', role: 'customer', organisationId: orgId });
    const headers = { authorization: `Bearer ${accepted.body.token as string}` };
    const me = await json(await api.request('GET', '/api/auth/me', { headers }));
    expect(me.body.permissions).toEqual(['portal:use']);
    const again = await json(await api.request('POST', `/api/invitations/${token}/accept`, { json: { password: PASSWORD } }));
    expect(again).toEqual({
      status: 404,
      body: { error: 'INVITATION_INVALID', message: ERROR_MESSAGES.INVITATION_INVALID.en, details: { reason: 'accepted' } },
    });
    const login = await api.login('wang.fang', PASSWORD);
    expect(login.status).toBe(200);
    const detail = await json(await api.request('GET', `/api/organisations/${orgId}`, { headers: clerk }));
    expect(detail.body.users).toEqual([{ username: 'wang.fang', enabled: true, createdAt: api.now() }]);
    expect(detail.body.invitations).toEqual([]);
  });

  it('keeps a customer account out of every staff list', async () => {
    const login = (await (await api.login('wang.fang', PASSWORD)).json()) as { token: string };
    const headers = { authorization: `Bearer ${login.token}` };
    for (const path of ['/api/devices', '/api/tickets', '/api/organisations', '/api/platform-tickets', '/api/sessions']) {
      expect((await api.request('GET', path, { headers })).status, path).toBe(403);
    }
  });

  it('refuses an expired invitation, an unknown token and a username that is taken', async () => {
    const invited = await json(await api.request('POST', `/api/organisations/${orgId}/invitations`, { headers: clerk, json: { username: 'li.na' } }));
    const token = invitationToken(invited.body.url as string);
    const taken = await json(
      await api.request('POST', `/api/organisations/${orgId}/invitations`, { headers: clerk, json: { username: 'wang.fang' } }),
    );
    expect(taken).toEqual({
      status: 409,
      body: { error: 'USER_EXISTS', message: ERROR_MESSAGES.USER_EXISTS.en, details: { username: 'wang.fang' } },
    });
    api.advance(INVITATION_TTL_MS);
    const expired = await json(await api.request('POST', `/api/invitations/${token}/accept`, { json: { password: PASSWORD } }));
    expect(expired).toEqual({
      status: 404,
      body: { error: 'INVITATION_INVALID', message: ERROR_MESSAGES.INVITATION_INVALID.en, details: { reason: 'expired' } },
    });
    const unknown = await json(await api.request('GET', `/api/invitations/${'A'.repeat(43)}`));
    expect(unknown).toEqual({
      status: 404,
      body: { error: 'INVITATION_INVALID', message: ERROR_MESSAGES.INVITATION_INVALID.en, details: { reason: 'unknown' } },
    });
  });
});
