import { z } from 'zod';

/*
 * The names of the hotline queues: RMA tickets, remote cases and remote-guidance sessions are
 * filed under one, so their rules name them. Which business line each queue serves, and its
 * phone number, stays the support capability's rule (after-sales/support/domain/support-queues.ts).
 */
export const SUPPORT_QUEUE_IDS = ['industry', 'logistics', 'general'] as const;
export const SupportQueue = z.enum(SUPPORT_QUEUE_IDS);
export type SupportQueue = z.infer<typeof SupportQueue>;
