import { z } from 'zod';

/*
 * The role names are vocabulary: ticket transition tables, session timelines and live-event
 * channels are written in them, so every domain may name a role. What each role may do (the
 * permission table) is accounts' rule and stays in platform/accounts/domain/roles.ts.
 */

/** Who an account is; decides what the API lets it do. */
export const ROLES = ['admin', 'engineer', 'after-sales', 'technician', 'customer'] as const;
/** The roles of the vendor's own people; `customer` accounts belong to one organisation and use the portal. */
export const STAFF_ROLES = ['admin', 'engineer', 'after-sales', 'technician'] as const;
export const StaffRole = z.enum(STAFF_ROLES);
export type StaffRole = z.infer<typeof StaffRole>;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;
