import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';
import { ERROR_MESSAGES } from '../services/platform/http/error-messages.ts';

/* GET /api/tickets a page at a time, over HTTP on real stores: the answer stays an array and the
 * cursor to the next page rides in the X-Next-Cursor header. */

let api: ApiFixture;
let afterSales: Record<string, string>;
const opened: Array<{ id: number; queue: string }> = [];

beforeAll(async () => {
  api = await startApiFixture();
  afterSales = await api.headersFor('after-sales');
  for (let i = 1; i <= 8; i++) {
    const serial = `MTB26000000${String(i).padStart(2, '0')}`;
    const businessLine = i % 2 === 0 ? 'smart-city' : 'smart-factory';
    const reg = await api.request('POST', '/api/devices', {
      headers: afterSales,
      json: { serial, model: 'MT-BOX-4G', saleDate: '2025-01-01', receiptDate: '2025-01-10', customer: { name: `Customer ${i}`, businessLine } },
    });
    if (reg.status !== 201) throw new Error(`register ${serial}: ${reg.status}`);
    const res = await api.request('POST', '/api/tickets', { headers: afterSales, json: { serial } });
    if (res.status !== 201) throw new Error(`open a ticket on ${serial}: ${res.status} ${await res.text()}`);
    opened.push((await res.json()) as { id: number; queue: string });
  }
});
afterAll(() => api.close());

async function allPages(query: string, limit: number): Promise<number[][]> {
  const pages: number[][] = [];
  let cursor: string | null = null;
  do {
    const res = await api.request('GET', `/api/tickets?${query}&limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`, {
      headers: afterSales,
    });
    expect(res.status).toBe(200);
    pages.push(((await res.json()) as Array<{ id: number }>).map((t) => t.id));
    cursor = res.headers.get('x-next-cursor');
  } while (cursor !== null && pages.length <= opened.length);
  return pages;
}

describe('paging the ticket list', () => {
  it('answers every ticket exactly once, newest first, in full pages, with no cursor after the last', async () => {
    const newestFirst = opened.map((t) => t.id).reverse();
    const pages = await allPages('', 3);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 2]);
    expect(pages.flat()).toEqual(newestFirst);
    expect((await allPages('', 4)).map((p) => p.length)).toEqual([4, 4]);
  });

  it('filters before paging: only matching tickets, in full pages', async () => {
    const cancelled = [opened[1]!.id, opened[4]!.id, opened[6]!.id];
    for (const id of cancelled) {
      const res = await api.request('POST', `/api/tickets/${id}/transitions`, {
        headers: afterSales,
        json: { to: 'cancelled', reason: 'opened twice by phone', payload: { resolution: 'duplicate' } },
      });
      expect(res.status).toBe(200);
    }
    const stillOpen = opened.map((t) => t.id).filter((id) => !cancelled.includes(id));
    for (const [query, expected] of [
      ['state=cancelled', cancelled],
      ['state=registered', stillOpen],
    ] as const) {
      const pages = await allPages(query, 2);
      expect(pages.flat(), query).toEqual([...expected].reverse());
      expect(pages.slice(0, -1).every((p) => p.length === 2)).toBe(true);
    }
  });

  it('answers 400 VALIDATION_FAILED for a cursor it did not answer and a limit over 1000', async () => {
    for (const cursor of ['xyz!', Buffer.from('"MTB2600000001"').toString('base64url'), Buffer.from('-3').toString('base64url')]) {
      const res = await api.request('GET', `/api/tickets?cursor=${encodeURIComponent(cursor)}`, { headers: afterSales });
      expect(res.status, cursor).toBe(400);
      expect(await res.json()).toMatchObject({
        error: 'VALIDATION_FAILED',
        message: ERROR_MESSAGES.VALIDATION_FAILED.en,
        details: [{ in: 'query', path: 'cursor' }],
      });
    }
    expect((await api.request('GET', '/api/tickets?limit=1001', { headers: afterSales })).status).toBe(400);
  });
});
