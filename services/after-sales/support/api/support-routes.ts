import { z } from 'zod';
import { BusinessLine } from '../../../kernel/business-line.ts';
import { Locale } from '../../../kernel/locale.ts';
import { routesFor } from '../../../kernel/route-definition.ts';
import { SupportQueue } from '../../../kernel/support-queue.ts';
import { supportQueuesIn } from '../domain/support-queues.ts';

/** The queues are fixed by the seed: the routes need nothing. */
export type SupportRouteDeps = Record<never, never>;

const defineRoute = routesFor<SupportRouteDeps>();

const SupportQueuesView = z.object({
  lang: Locale.describe('the language of the names'),
  queues: z.array(
    z.object({
      id: SupportQueue.describe('what tickets, cases and sessions record as their `queue`'),
      name: z.string().describe("the hotline's name in the answer's language"),
      phone: z.string(),
      businessLines: z.array(BusinessLine).describe('the customers’ business lines it serves; none: boxes whose line is not on record'),
    }),
  ),
});

export const supportRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/support-queues',
    summary:
      "The hotline queues tickets, cases and sessions are filed under: each one's name in the request's language, its number and the business lines it serves",
    tag: 'after-sales',
    access: 'aftersales:read',
    localized: true,
    response: SupportQueuesView,
    handler: async ({ locale }) => ({ lang: locale, queues: supportQueuesIn(locale) }),
  }),
];
