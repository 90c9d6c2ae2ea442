import type { BusinessLine } from '../../../kernel/business-line.ts';
import type { Locale } from '../../../kernel/locale.ts';
import type { SupportQueue } from '../../../kernel/support-queue.ts';

/**
 * Seed: the hotline (9:00–18:00 on working days) has one line for smart factory, smart city
 * and smart environmental protection, and its own line for smart logistics; 400-682-2950 is
 * the general after-sales number. A ticket goes to the queue of its customer's line.
 */
export const SUPPORT_QUEUES = [
  {
    id: 'industry',
    title: 'Smart factory / smart city / smart environmental protection',
    phone: '15358045436',
    businessLines: ['smart-factory', 'smart-city', 'smart-environmental-protection'],
  },
  { id: 'logistics', title: 'Smart logistics', phone: '15335240292', businessLines: ['smart-logistics'] },
  // Boxes whose customer's business line is not on record yet; after-sales sorts them.
  { id: 'general', title: 'General after-sales', phone: '400-682-2950', businessLines: [] },
] as const satisfies ReadonlyArray<{ id: SupportQueue; title: string; phone: string; businessLines: readonly BusinessLine[] }>;

/** Each queue's hotline name in both languages side by side; `title` above is the English. */
export const QUEUE_NAMES: Readonly<Record<SupportQueue, Readonly<Record<Locale, string>>>> = {
  industry: { en: SUPPORT_QUEUES[0].title, 'zh-CN': '智慧工厂 / 智慧城市 / 智慧环保' },
  logistics: { en: SUPPORT_QUEUES[1].title, 'zh-CN': '智慧物流' },
  general: { en: SUPPORT_QUEUES[2].title, 'zh-CN': '综合售后' },
};

/** A queue's hotline name in `locale`. */
export function queueName(queue: SupportQueue, locale: Locale): string {
  return QUEUE_NAMES[queue][locale];
}

/** The hotlines as a reader in `locale` sees them: name, number and the business lines each serves. */
export function supportQueuesIn(locale: Locale) {
  return SUPPORT_QUEUES.map((q) => ({ id: q.id, name: queueName(q.id, locale), phone: q.phone, businessLines: [...q.businessLines] }));
}

/** The support queue serving a customer's business line. */
export function queueFor(businessLine: BusinessLine | null | undefined): SupportQueue {
  if (!businessLine) return 'general';
  const q = SUPPORT_QUEUES.find((q) => (q.businessLines as readonly string[]).includes(businessLine));
  return q ? q.id : 'general';
}
