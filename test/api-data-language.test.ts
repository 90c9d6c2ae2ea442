import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES } from '../services/compose-routes.ts';
import { startApiFixture, type ApiFixture } from './helpers/http-fixture.ts';

/*
 * The backend's own words in the reader's language: warranty reasons, exclusion clauses, hotline
 * names, holiday names. Every route that answers such words is `localized`: `?lang=` wins, then
 * Accept-Language, then English; `Content-Language` says which; the English is what it always was.
 */

const BOX = {
  serial: 'MTB2503000101',
  model: 'MT-BOX-4G',
  receiptDate: '2025-03-10',
  customer: { name: 'Suzhou Logistics Park', businessLine: 'smart-logistics' },
};

// The fixture's clock starts on 2025-06-15 (China's date too).
const REASONS = {
  en: [
    "Covered 12 months from the customer's receipt (express-delivery signing) date 2025-03-10.",
    'In warranty on 2025-06-15: covered through 2026-03-09.',
  ],
  'zh-CN': ['自客户签收日期（快递签收日期）2025-03-10 起保修 12 个月。', '2025-06-15 在保修期内：保修至 2026-03-09。'],
};

let api: ApiFixture;
let ticketId: number;
beforeAll(async () => {
  api = await startApiFixture();
  const created = await api.request('POST', '/api/devices', { headers: await api.headersFor('admin'), json: BOX });
  expect(created.status).toBe(201);
  const opened = await api.request('POST', '/api/tickets', { headers: await api.headersFor('after-sales'), json: { serial: BOX.serial } });
  expect(opened.status).toBe(201);
  ticketId = ((await opened.json()) as { id: number }).id;
});
afterAll(() => api.close());

type Reader = 'zh-CN header' | '?lang=en' | 'no language';

/** The same request as a Chinese browser, as a client asking English over a Chinese header, and with no language. */
async function get<T>(path: string, reader: Reader): Promise<{ body: T; contentLanguage: string | null }> {
  const headers = await api.headersFor('after-sales');
  const url = reader === '?lang=en' ? `${path}${path.includes('?') ? '&' : '?'}lang=en` : path;
  const language: Record<string, string> = reader === 'no language' ? {} : { 'Accept-Language': 'zh-CN,zh;q=0.9,en;q=0.8' };
  const res = await api.request('GET', url, { headers: { ...headers, ...language } });
  expect(res.status).toBe(200);
  return { body: (await res.json()) as T, contentLanguage: res.headers.get('content-language') };
}

interface Warranty {
  reasons: string[];
}

describe('warranty reasons', () => {
  it('GET /api/devices/:sn/warranty answers its reasons in Chinese, in English for ?lang=en, English without a language', async () => {
    const zh = await get<Warranty>(`/api/devices/${BOX.serial}/warranty`, 'zh-CN header');
    expect(zh.body.reasons).toEqual(REASONS['zh-CN']);
    expect(zh.contentLanguage).toBe('zh-CN');
    const en = await get<Warranty>(`/api/devices/${BOX.serial}/warranty`, '?lang=en');
    expect(en.body.reasons).toEqual(REASONS.en);
    expect(en.contentLanguage).toBe('en');
    expect((await get<Warranty>(`/api/devices/${BOX.serial}/warranty`, 'no language')).body.reasons).toEqual(REASONS.en);
  });

  it('the device detail and list say the same reasons in the same language', async () => {
    const detail = await get<{ warranty: Warranty }>(`/api/devices/${BOX.serial}`, 'zh-CN header');
    expect(detail.body.warranty.reasons).toEqual(REASONS['zh-CN']);
    const list = await get<{ devices: { serial: string; warranty: Warranty }[] }>(`/api/devices?q=${BOX.serial}`, '?lang=en');
    expect(list.body.devices.find((d) => d.serial === BOX.serial)?.warranty.reasons).toEqual(REASONS.en);
  });
});

interface TicketView {
  id: number;
  queue: string;
  warranty: Warranty | null;
  actions: { exclusions: { clauses: { id: string; title: string; clause: string; seed: string[]; sources: string[] }[] } };
}

const clause = (view: TicketView, id: string) => view.actions.exclusions.clauses.find((c) => c.id === id);

describe('RMA tickets: warranty reasons and exclusion clauses', () => {
  it('names an exclusion, its reading and the seed’s wording in Chinese or English', async () => {
    const zh = (await get<TicketView>(`/api/tickets/${ticketId}`, 'zh-CN header')).body;
    expect(clause(zh, 'force-majeure')).toMatchObject({
      title: '不可抗力',
      sources: ['售后维修流程，二、确认保修期限及范围', 'MT-BOX 智能云盒不在免费保修范围内的情况'],
    });
    expect(clause(zh, 'water-ingress')?.title).toBe('进水');
    expect(zh.warranty?.reasons).toEqual(REASONS['zh-CN']);
    const en = (await get<TicketView>(`/api/tickets/${ticketId}`, '?lang=en')).body;
    expect(clause(en, 'force-majeure')).toMatchObject({
      title: 'Force majeure',
      clause: 'Damage caused by force majeure such as fire, flood, electric shock, earthquake or lightning.',
    });
    expect(en.warranty?.reasons).toEqual(REASONS.en);
  });

  it('says the offered moves and the parameter backup warning in the same language', async () => {
    interface Moves {
      moves: { to: string; summary: string }[];
      parameterBackup: { warning: string | null };
    }
    const zh = (await get<Moves>(`/api/tickets/${ticketId}`, 'zh-CN header')).body;
    expect(zh.moves.find((m) => m.to === 'warranty-confirmed')?.summary).toBe('售后确认保修期限及范围，并建议客户为运输投保');
    expect(zh.parameterBackup.warning).toBe('该云盒没有参数备份：寄出前请先备份');
    const en = (await get<Moves>(`/api/tickets/${ticketId}`, '?lang=en')).body;
    expect(en.moves.find((m) => m.to === 'warranty-confirmed')?.summary).toBe(
      'after-sales confirms warranty period and scope and recommends transport insurance',
    );
    expect(en.parameterBackup.warning).toBe('no parameter backup of this box: take one before it ships');
  });

  it('the ticket list speaks the same language', async () => {
    const [zh] = (await get<TicketView[]>(`/api/tickets?serial=${BOX.serial}`, 'zh-CN header')).body;
    expect(clause(zh!, 'misuse')?.title).toBe('误用或滥用');
    const [en] = (await get<TicketView[]>(`/api/tickets?serial=${BOX.serial}`, 'no language')).body;
    expect(clause(en!, 'misuse')?.title).toBe('Misuse');
  });
});

describe('support queues and hotline names', () => {
  interface Queues {
    lang: string;
    queues: { id: string; name: string; phone: string }[];
  }
  const logistics = (q: Queues) => q.queues.find((x) => x.id === 'logistics');

  it('GET /api/support-queues names each hotline in the reader’s language, with its number', async () => {
    const zh = (await get<Queues>('/api/support-queues', 'zh-CN header')).body;
    expect(zh.lang).toBe('zh-CN');
    expect(logistics(zh)).toEqual({ id: 'logistics', name: '智慧物流', phone: '15335240292', businessLines: ['smart-logistics'] });
    expect(zh.queues.find((x) => x.id === 'general')?.name).toBe('综合售后');
    const en = (await get<Queues>('/api/support-queues', '?lang=en')).body;
    expect(logistics(en)?.name).toBe('Smart logistics');
  });

  it('files the ticket under the queue it names', async () => {
    expect((await get<TicketView>(`/api/tickets/${ticketId}`, 'no language')).body.queue).toBe('logistics');
  });
});

describe("working days and China's public holidays", () => {
  interface Calendar {
    lang: string;
    years: { year: number; holidays: string[]; holidayNames: Record<string, string>; workdayNames: Record<string, string> }[];
  }
  const year2025 = (c: Calendar) => c.years.find((y) => y.year === 2025)!;

  it('names each holiday and make-up working day in Chinese or English', async () => {
    const zh = year2025((await get<Calendar>('/api/calendar', 'zh-CN header')).body);
    expect(zh.holidayNames['2025-01-29']).toBe('春节');
    expect(zh.holidayNames['2025-10-01']).toBe('国庆节、中秋节');
    expect(zh.workdayNames['2025-01-26']).toBe('春节调休上班');
    expect(Object.keys(zh.holidayNames).sort()).toEqual([...zh.holidays].sort());
    const en = year2025((await get<Calendar>('/api/calendar', '?lang=en')).body);
    expect(en.holidayNames['2025-01-29']).toBe('Spring Festival');
    expect(en.holidayNames['2025-10-01']).toBe('National Day and Mid-Autumn Festival');
    expect(en.workdayNames['2025-01-26']).toBe('Working day (make-up for Spring Festival)');
    expect(year2025((await get<Calendar>('/api/calendar', 'no language')).body).holidayNames['2025-05-01']).toBe('Labour Day');
  });
});

describe('triage decision reasons', () => {
  interface Decision {
    ruleId: string;
    reason: string;
  }

  it('says why in Chinese or English, the English as it was stored', async () => {
    const device = await api.registry.findBySerial(BOX.serial);
    const saved = await api.intake.saveFault({
      deviceId: device!.id,
      id: 'lang-fault-1',
      ts: api.now(),
      receivedAt: api.now(),
      code: 'DNS_RESOLUTION_FAILED',
      severity: 'warning',
    });
    if (!saved.stored) throw new Error('fault not stored');
    api.afterSales.diagnostics.enqueue('fault', saved.rowId);
    await api.afterSales.diagnostics.idle();
    const stored = await api.db.selectFrom('triage_decisions').select('reason').where('device_id', '=', device!.id).executeTakeFirstOrThrow();

    const [zh] = (await get<Decision[]>(`/api/devices/${BOX.serial}/decisions`, 'zh-CN header')).body;
    const [en] = (await get<Decision[]>(`/api/devices/${BOX.serial}/decisions`, '?lang=en')).body;
    expect(zh).toMatchObject({
      ruleId: 'remote-open-case',
      reason: 'MTB2503000101 上报的无法解析云平台主机名（DNS_RESOLUTION_FAILED，警告）可通过远程指导解决；已按故障目录步骤开远程工单。',
    });
    expect(en?.reason).toBe(
      'Cloud host name does not resolve (DNS_RESOLUTION_FAILED, warning) on MTB2503000101 can be solved by remote guidance; a remote case is opened with the catalog steps.',
    );
    expect(en?.reason).toBe(stored.reason);
    const [noLanguage] = (await get<Decision[]>(`/api/devices/${BOX.serial}/decisions`, 'no language')).body;
    expect(noLanguage?.reason).toBe(stored.reason);

    // The case the decision opened tells the same reason in the same language.
    const kase = (await get<{ decisions: Decision[] }>('/api/cases/1', 'zh-CN header')).body;
    expect(kase.decisions.map((d) => d.reason)).toEqual([zh?.reason]);
  });
});

describe('the language parameter', () => {
  const LOCALIZED = ['/api/devices/MTB2503000101/warranty', '/api/devices', '/api/tickets/1', '/api/support-queues', '/api/calendar', '/api/catalog'];

  it('refuses ?lang=xx on every localized route with VALIDATION_FAILED naming the supported languages', async () => {
    const headers = await api.headersFor('after-sales');
    for (const path of LOCALIZED) {
      const res = await api.request('GET', `${path}?lang=xx`, { headers });
      expect(res.status, path).toBe(400);
      expect(await res.json(), path).toMatchObject({
        error: 'VALIDATION_FAILED',
        details: [{ in: 'query', path: 'lang', message: 'unsupported language; supported: en, zh-CN' }],
      });
    }
  });

  it('is refused like any unknown parameter where the answer has no words to translate', async () => {
    const res = await api.request('GET', `/api/devices/${BOX.serial}/faults?lang=zh-CN`, { headers: await api.headersFor('after-sales') });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'VALIDATION_FAILED', details: [{ in: 'query', path: 'lang' }] });
  });

  it('answers one language per request for caches: Vary: Accept-Language', async () => {
    const res = await api.request('GET', '/api/support-queues', { headers: await api.headersFor('after-sales') });
    expect(res.headers.get('vary') ?? '').toMatch(/accept-language/i);
  });

  it('is documented on every localized operation: lang and Accept-Language', async () => {
    const doc = (await (await api.request('GET', '/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, { parameters: { name: string; in: string }[] }>>;
    };
    const localized = API_ROUTES.filter((r) => r.localized);
    expect(localized.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(['get /api/catalog', 'get /api/devices/:sn/warranty', 'get /api/calendar']),
    );
    for (const route of localized) {
      const op = doc.paths[route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')]?.[route.method];
      const where = `${route.method} ${route.path}`;
      expect(op?.parameters, where).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'lang', in: 'query' }),
          expect.objectContaining({ name: 'Accept-Language', in: 'header' }),
        ]),
      );
    }
  });
});
