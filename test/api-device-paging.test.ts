import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';
import { ERROR_MESSAGES } from '../services/platform/http/error-messages.ts';

/*
 * GET /api/devices a page at a time, over HTTP on a real registry: 25 boxes of two models,
 * some online, with receipt dates on both sides of the warranty edge (the clock reads
 * 2025-06-15, so a box received 2024-06-16 is still covered and one received 2024-06-15 is not).
 */

interface Box {
  serial: string;
  model: string;
  receiptDate: string | null;
  customer: string | null;
  online: boolean;
}

const RECEIPTS = ['2024-06-15', '2024-06-16', null, '2025-01-10', '2023-02-28'];
const BOXES: Box[] = Array.from({ length: 25 }, (_, i) => ({
  serial: `MTB25000000${String(i + 1).padStart(2, '0')}`,
  model: i % 2 === 0 ? 'MT-BOX-4G' : 'MT-BOX-S1',
  receiptDate: RECEIPTS[i % RECEIPTS.length]!,
  customer: i % 4 === 0 ? 'Acme Automation' : i % 4 === 1 ? 'Metro Lighting' : null,
  online: i % 3 === 0,
}));
const IN_WARRANTY = new Set(['2024-06-16', '2025-01-10']);

let api: ApiFixture;
let technician: Record<string, string>;

beforeAll(async () => {
  api = await startApiFixture();
  technician = await api.headersFor('technician');
  // Registered out of serial order, so the answer's order is the server's doing.
  const rows = [...BOXES].reverse().map((b) => ({
    input: {
      serial: b.serial,
      model: b.model,
      ...(b.receiptDate ? { saleDate: '2023-01-01', receiptDate: b.receiptDate } : {}),
      ...(b.customer ? { customer: { name: b.customer, businessLine: 'smart-factory' as const } } : {}),
    },
    secretHash: 'not-a-real-hash',
  }));
  const created = await api.registry.createMany(rows, api.now());
  if (!created.ok) throw new Error('register the boxes');
  for (const b of BOXES.filter((x) => x.online)) api.shadows.connected((await api.registry.findBySerial(b.serial))!.id, '10.0.0.7', api.now());
});
afterAll(() => api.close());

interface Page {
  devices: Array<{ serial: string }>;
  nextCursor: string | null;
}

/** Every page of the list with this filter, following nextCursor. */
async function allPages(query: string, limit: number): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const res = await api.request('GET', `/api/devices?${query}&limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`, {
      headers: technician,
    });
    expect(res.status).toBe(200);
    const page = (await res.json()) as Page;
    pages.push(page.devices.map((d) => d.serial));
    cursor = page.nextCursor;
  } while (cursor !== null && pages.length <= BOXES.length);
  return pages;
}

function expectFullPages(pages: string[][], limit: number, expected: string[]): void {
  expect(pages.flat()).toEqual(expected);
  expect(pages.slice(0, -1).every((p) => p.length === limit)).toBe(true);
}

describe('paging the box list', () => {
  it('answers every box exactly once, in serial order, in full pages until the last', async () => {
    const pages = await allPages('', 7);
    expect(pages.map((p) => p.length)).toEqual([7, 7, 7, 4]);
    expectFullPages(
      pages,
      7,
      BOXES.map((b) => b.serial),
    );
  });

  it('ends with a null cursor when the last page is exactly full', async () => {
    expect((await allPages('', 5)).map((p) => p.length)).toEqual([5, 5, 5, 5, 5]);
    const one = (await (await api.request('GET', '/api/devices?limit=25', { headers: technician })).json()) as Page;
    expect([one.devices.length, one.nextCursor]).toEqual([25, null]);
  });

  it('answers 100 boxes by default, so a client that ignores paging still sees a small fleet whole', async () => {
    const res = await api.request('GET', '/api/devices', { headers: technician });
    expect(((await res.json()) as Page).devices).toHaveLength(25);
  });

  it('filters before paging: only matching boxes, in full pages, by model, presence, warranty, customer and search text', async () => {
    const cases: Array<[string, (b: Box) => boolean]> = [
      ['model=MT-BOX-S1', (b) => b.model === 'MT-BOX-S1'],
      ['online=true', (b) => b.online],
      ['online=false', (b) => !b.online],
      ['warranty=in-warranty', (b) => b.receiptDate !== null && IN_WARRANTY.has(b.receiptDate)],
      ['warranty=expired', (b) => b.receiptDate !== null && !IN_WARRANTY.has(b.receiptDate)],
      ['warranty=unknown', (b) => b.receiptDate === null],
      ['customer=acme', (b) => b.customer === 'Acme Automation'],
      // The search box: part of the serial, the model or the customer name, literally.
      ['q=0000001', (b) => b.serial.includes('0000001')],
      ['q=s1', (b) => b.model === 'MT-BOX-S1'],
      ['q=metro', (b) => b.customer === 'Metro Lighting'],
      ['q=metro&online=true', (b) => b.customer === 'Metro Lighting' && b.online],
      [
        'online=false&model=MT-BOX-4G&warranty=expired',
        (b) => !b.online && b.model === 'MT-BOX-4G' && b.receiptDate !== null && !IN_WARRANTY.has(b.receiptDate),
      ],
    ];
    for (const [query, keep] of cases) {
      const expected = BOXES.filter(keep).map((b) => b.serial);
      expect(expected.length, query).toBeGreaterThan(0);
      expectFullPages(await allPages(query, 2), 2, expected);
    }
  });

  it('answers 400 VALIDATION_FAILED for a cursor it did not answer and for a limit out of bounds', async () => {
    const malformed = [
      'not*base64',
      Buffer.from('MTB2500000003').toString('base64url'),
      Buffer.from('{"serial":1}').toString('base64url'),
      'bad/cursor',
    ];
    for (const cursor of malformed) {
      const res = await api.request('GET', `/api/devices?cursor=${encodeURIComponent(cursor)}`, { headers: technician });
      expect(res.status, cursor).toBe(400);
      expect(await res.json()).toMatchObject({
        error: 'VALIDATION_FAILED',
        message: ERROR_MESSAGES.VALIDATION_FAILED.en,
        details: [{ in: 'query', path: 'cursor' }],
      });
    }
    for (const limit of ['1001', '0', 'ten']) {
      const res = await api.request('GET', `/api/devices?limit=${limit}`, { headers: technician });
      expect(res.status, limit).toBe(400);
      expect(await res.json()).toMatchObject({
        error: 'VALIDATION_FAILED',
        message: ERROR_MESSAGES.VALIDATION_FAILED.en,
        details: [{ in: 'query', path: 'limit' }],
      });
    }
  });
});
