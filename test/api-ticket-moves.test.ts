import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';

/* The ticket answer says which moves and actions a client may offer, read from the domain's
 * rules, and the list splits finished tickets from open ones; over HTTP on real stores. */

interface Availability {
  possible: boolean;
  roles: string[];
}
interface TicketAnswer {
  id: number;
  ticket: { state: string };
  allowedTransitions: string[];
  moves: { to: string; roles: string[]; summary: string; blockedBy: string | null }[];
  actions: Record<'repairReport' | 'costConfirmation' | 'payment' | 'inboundShipping' | 'outboundShipping' | 'parameterRestore', Availability> & {
    standby: Record<'require' | 'dispatch' | 'return', Availability>;
    exclusions: Availability & { clauses: { id: string; title: string; clause: string; listed: boolean }[] };
  };
}

let api: ApiFixture;
let afterSales: Record<string, string>;
const ids: number[] = [];

beforeAll(async () => {
  api = await startApiFixture();
  afterSales = await api.headersFor('after-sales');
  for (const serial of ['MTB2600MOVE01', 'MTB2600MOVE02']) {
    const reg = await api.request('POST', '/api/devices', {
      headers: afterSales,
      json: { serial, model: 'MT-BOX-4G', receiptDate: '2025-01-10', customer: { name: 'Acme', businessLine: 'smart-factory' } },
    });
    if (reg.status !== 201) throw new Error(`register ${serial}: ${reg.status}`);
    const res = await api.request('POST', '/api/tickets', { headers: afterSales, json: { serial } });
    if (res.status !== 201) throw new Error(`open a ticket on ${serial}: ${res.status} ${await res.text()}`);
    ids.push(((await res.json()) as TicketAnswer).id);
  }
});
afterAll(() => api.close());

async function ticket(id: number): Promise<TicketAnswer> {
  const res = await api.request('GET', `/api/tickets/${id}`, { headers: afterSales });
  expect(res.status).toBe(200);
  return (await res.json()) as TicketAnswer;
}

describe('what a ticket offers', () => {
  it('answers the moves from the current state with their roles and summaries, beside allowedTransitions', async () => {
    const t = await ticket(ids[0]!);
    expect(t.allowedTransitions).toEqual(['warranty-confirmed', 'cancelled']);
    expect(t.moves).toEqual([
      {
        to: 'warranty-confirmed',
        roles: ['admin', 'after-sales'],
        summary: 'after-sales confirms warranty period and scope and recommends transport insurance',
        blockedBy: null,
      },
      {
        to: 'cancelled',
        roles: ['admin', 'after-sales', 'engineer'],
        summary: 'solved remotely or withdrawn before anything was shipped',
        blockedBy: null,
      },
    ]);
  });

  it('answers which action endpoints would take the ticket now, and every scope exclusion with its clause', async () => {
    const { actions } = await ticket(ids[0]!);
    expect(actions.exclusions.possible).toBe(true);
    expect(actions.exclusions.roles).toEqual(['admin', 'after-sales']);
    // Seed: one entry per clause of the commitment's exclusion lists.
    expect(actions.exclusions.clauses).toHaveLength(15);
    expect(actions.exclusions.clauses.find((c) => c.id === 'label-damaged')).toEqual({
      id: 'label-damaged',
      title: 'Label damaged',
      clause: 'The barcode or label was altered or torn.',
      seed: ['Alter or tear the product barcode without authorization'],
      sources: ['Not covered by the free warranty of MT-BOX smart cloud box'],
      listed: false,
    });
    expect(actions.repairReport).toEqual({ possible: false, roles: ['admin', 'technician'] });
    expect(actions.standby.require.possible).toBe(true);
    expect(actions.standby.dispatch.possible).toBe(false);
    expect(actions.parameterRestore.possible).toBe(false);
  });

  it('offers no move on a cancelled ticket, and lists it with the finished ones only', async () => {
    const res = await api.request('POST', `/api/tickets/${ids[1]}/transitions`, {
      headers: afterSales,
      json: { to: 'cancelled', reason: 'opened twice by phone', payload: { resolution: 'duplicate' } },
    });
    expect(res.status).toBe(200);
    const cancelled = (await res.json()) as TicketAnswer;
    expect(cancelled.moves).toEqual([]);
    expect(cancelled.actions.standby.require.possible).toBe(false);

    const list = async (query: string) => {
      const r = await api.request('GET', `/api/tickets?${query}`, { headers: afterSales });
      expect(r.status).toBe(200);
      return ((await r.json()) as TicketAnswer[]).map((t) => t.id);
    };
    expect(await list('open=true')).toEqual([ids[0]]);
    expect(await list('open=false')).toEqual([ids[1]]);
    expect(await list('')).toEqual([ids[1], ids[0]]);
  });
});
