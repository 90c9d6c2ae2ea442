import { z } from 'zod';

/*
 * The customer's business line is recorded by the registry but decides rules elsewhere (the
 * support queue a ticket goes to, whether RMA offers a standby unit), so it is vocabulary.
 */
export const BUSINESS_LINES = ['smart-factory', 'smart-city', 'smart-environmental-protection', 'smart-logistics'] as const;
export const BusinessLine = z.enum(BUSINESS_LINES);
export type BusinessLine = z.infer<typeof BusinessLine>;
