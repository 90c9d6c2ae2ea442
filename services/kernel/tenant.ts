import type { Role } from './roles.ts';

/*
 * Tenant isolation, as a rule every capability applies the same way: the vendor's staff work
 * on every customer's boxes; a customer account sees and acts on its own organisation's
 * boxes, tickets, sessions and platform tickets only. Stores take the tenant and filter in
 * the query itself, so another organisation's row is never read, let alone answered.
 */

/** Whose data an account may see. */
export type Tenant = { kind: 'vendor' } | { kind: 'organisation'; organisationId: number };

export const VENDOR: Tenant = { kind: 'vendor' };

/** The tenant of an account; a customer account without an organisation sees nothing. */
export function tenantOf(account: { role: Role; organisationId: number | null }): Tenant {
  if (account.role !== 'customer') return VENDOR;
  // -1 matches no row: an account the rules forbid (customer without organisation) is confined to nothing.
  return { kind: 'organisation', organisationId: account.organisationId ?? -1 };
}

/** Whether a tenant may see a record owned by `ownerOrganisationId` (null: no customer yet). */
export function mayAccess(tenant: Tenant, ownerOrganisationId: number | null): boolean {
  return tenant.kind === 'vendor' || (ownerOrganisationId !== null && ownerOrganisationId === tenant.organisationId);
}
