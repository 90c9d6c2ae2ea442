import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START, startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';

/*
 * Seed: "The warranty time is calculated based on the customer's receipt date", and "within
 * 12 months from the date of sale" where no receipt date is recorded. Every view that answers
 * a warranty (device list and its filter, device detail, the warranty endpoint, the RMA
 * ticket) must give the same answer on China's calendar date, whatever the UTC date is.
 *
 * The fixture's clock starts at 2025-06-15T08:00Z (16:00 in China). Cover ending on
 * 2025-06-15 means a receipt or sale on 2024-06-16; ending on 2025-06-16, on 2024-06-17.
 */
const BOXES = {
  receiptEndsToday: { serial: 'MTBW00000001', model: 'MT-BOX-4G', saleDate: '2024-06-01', receiptDate: '2024-06-16' },
  receiptEndsTomorrow: { serial: 'MTBW00000002', model: 'MT-BOX-4G', saleDate: '2024-06-01', receiptDate: '2024-06-17' },
  saleEndsToday: { serial: 'MTBW00000003', model: 'MT-BOX-4G', saleDate: '2024-06-16' },
  saleEndsTomorrow: { serial: 'MTBW00000004', model: 'MT-BOX-4G', saleDate: '2024-06-17' },
  noDates: { serial: 'MTBW00000005', model: 'MT-BOX-4G' },
} as const;
type Name = keyof typeof BOXES;

interface RegistryWarranty {
  status: string;
  endsOn: string | null;
  startsOn: string | null;
  basis: string;
  reasons: string[];
}
interface WarrantyAnswer {
  inWarranty: boolean | null;
  start: string | null;
  end: string | null;
  basis: string;
  reasons: string[];
}

let api: ApiFixture;

beforeAll(async () => {
  // The clock moves across most of a day; sessions must outlive it.
  api = await startApiFixture({ SESSION_TTL_H: '48' });
  const afterSales = await api.headersFor('after-sales');
  for (const box of Object.values(BOXES)) {
    const res = await api.request('POST', '/api/devices', { headers: afterSales, json: box });
    if (res.status !== 201) throw new Error(`register ${box.serial}: ${res.status} ${await res.text()}`);
  }
});
afterAll(() => api.close());

/** Moves the fixture's clock to an instant after the current one. */
function setClock(iso: string): void {
  const target = Date.parse(iso);
  if (target < api.now()) throw new Error(`the clock only moves forward: ${iso}`);
  api.advance(target - api.now());
}

async function getJson<T>(path: string): Promise<T> {
  const res = await api.request('GET', path, { headers: await api.headersFor('after-sales') });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

async function listed(query = ''): Promise<Map<string, RegistryWarranty>> {
  const { devices } = await getJson<{ devices: Array<{ serial: string; warranty: RegistryWarranty }> }>(`/api/devices?limit=1000${query}`);
  return new Map(devices.map((d) => [d.serial, d.warranty]));
}

async function filtered(status: string): Promise<string[]> {
  return [...(await listed(`&warranty=${status}`)).keys()];
}

/** The three answers for one box, in the registry's words, after checking they agree. */
async function agreedWarranty(name: Name): Promise<RegistryWarranty> {
  const { serial } = BOXES[name];
  const fromList = (await listed()).get(serial)!;
  const fromDetail = (await getJson<{ warranty: RegistryWarranty }>(`/api/devices/${serial}`)).warranty;
  const fromEndpoint = await getJson<WarrantyAnswer>(`/api/devices/${serial}/warranty`);
  expect(fromDetail, `${name}: list and detail`).toEqual(fromList);
  const status = fromEndpoint.inWarranty === null ? 'unknown' : fromEndpoint.inWarranty ? 'in-warranty' : 'expired';
  expect({ status, endsOn: fromEndpoint.end, startsOn: fromEndpoint.start, basis: fromEndpoint.basis }, `${name}: endpoint`).toEqual({
    status: fromList.status,
    endsOn: fromList.endsOn,
    startsOn: fromList.startsOn,
    basis: fromList.basis,
  });
  expect(fromEndpoint.reasons, `${name}: reasons`).toEqual(fromList.reasons);
  return fromList;
}

/** Every box's status from the three views, and the filter placing each box in the same group. */
async function statusesEverywhere(): Promise<Record<Name, string>> {
  const out = {} as Record<Name, string>;
  for (const name of Object.keys(BOXES) as Name[]) out[name] = (await agreedWarranty(name)).status;
  for (const status of ['in-warranty', 'expired', 'unknown']) {
    const expected = (Object.keys(BOXES) as Name[]).filter((n) => out[n] === status).map((n) => BOXES[n].serial);
    expect(await filtered(status), `?warranty=${status}`).toEqual(expected);
  }
  return out;
}

describe("seed: the warranty is counted on China's calendar date in every view", () => {
  it('covers the last day until midnight in China (15:59:59 UTC) and not from 16:00 UTC, in the list, the filter, the detail and the endpoint', async () => {
    expect(api.now()).toBe(START);
    setClock('2025-06-15T15:59:59.000Z');
    expect(await statusesEverywhere()).toEqual({
      receiptEndsToday: 'in-warranty',
      receiptEndsTomorrow: 'in-warranty',
      saleEndsToday: 'in-warranty',
      saleEndsTomorrow: 'in-warranty',
      noDates: 'unknown',
    });
    setClock('2025-06-15T16:00:00.000Z');
    const firstDayAfter = await statusesEverywhere();
    expect(firstDayAfter.receiptEndsToday).toBe('expired');
    expect(firstDayAfter.saleEndsToday).toBe('expired');
  });

  it('at 23:30 UTC (07:30 the next day in China) the list, the detail and the warranty endpoint agree', async () => {
    setClock('2025-06-15T23:30:00.000Z');
    expect(await statusesEverywhere()).toEqual({
      // The UTC date is still 2025-06-15, the last covered day; in China it is the 16th.
      receiptEndsToday: 'expired',
      receiptEndsTomorrow: 'in-warranty',
      saleEndsToday: 'expired',
      saleEndsTomorrow: 'in-warranty',
      noDates: 'unknown',
    });
    expect(await agreedWarranty('receiptEndsToday')).toMatchObject({ endsOn: '2025-06-15', startsOn: '2024-06-16', basis: 'receipt-date' });
    expect(await agreedWarranty('receiptEndsTomorrow')).toMatchObject({ endsOn: '2025-06-16', basis: 'receipt-date' });
  });

  it('the RMA ticket view answers the same warranty as the warranty endpoint at 23:30 UTC', async () => {
    const { serial } = BOXES.receiptEndsToday;
    const res = await api.request('POST', '/api/tickets', { headers: await api.headersFor('after-sales'), json: { serial } });
    expect(res.status).toBe(201);
    const ticket = (await res.json()) as { id: string; warranty: WarrantyAnswer; ticket: { form: { inWarranty?: boolean | null } } };
    const endpoint = await getJson<WarrantyAnswer>(`/api/devices/${serial}/warranty`);
    expect(ticket.warranty).toEqual(endpoint);
    expect(ticket.warranty.inWarranty).toBe(false);
    expect(ticket.ticket.form.inWarranty).toBe(false);
    expect((await getJson<{ warranty: WarrantyAnswer }>(`/api/tickets/${ticket.id}`)).warranty).toEqual(endpoint);
  });
});

describe('seed: without a receipt date the warranty counts 12 months from the date of sale, in every view', () => {
  it('counts a box with only a sale date from it in the list, the detail and the endpoint, says why, and the filter agrees', async () => {
    const saleOnly = await agreedWarranty('saleEndsTomorrow');
    expect(saleOnly).toMatchObject({ status: 'in-warranty', startsOn: '2024-06-17', endsOn: '2025-06-16', basis: 'sale-date' });
    expect(saleOnly.reasons[0]).toMatch(/^Receipt date unknown: counted 12 months from the sale\/delivery date 2024-06-17 instead/);
    expect(await filtered('in-warranty')).toContain(BOXES.saleEndsTomorrow.serial);
    expect(await filtered('expired')).toContain(BOXES.saleEndsToday.serial);
    // Only a box with neither date is unknown.
    expect(await filtered('unknown')).toEqual([BOXES.noDates.serial]);
    expect(await agreedWarranty('noDates')).toMatchObject({ status: 'unknown', endsOn: null, startsOn: null, basis: 'unknown' });
  });
});
