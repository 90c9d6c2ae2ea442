import { z } from 'zod';

/*
 * The role names are vocabulary: ticket transition tables, session timelines and live-event
 * channels are written in them, so every domain may name a role. What each role may do (the
 * permission table) is accounts' rule and stays in platform/accounts/domain/roles.ts.
 */

/** Who a support-engineer account is; decides what the API lets it do. */
export const ROLES = ['admin', 'engineer', 'after-sales', 'technician'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;
