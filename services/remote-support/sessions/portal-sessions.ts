import { AppError } from '../../kernel/app-error.ts';
import type { Tenant } from '../../kernel/tenant.ts';
import { LINK_TTL_MINUTES } from './domain/customer-link.ts';
import { type PortalSession, portalSessionOf } from './domain/portal-session-view.ts';
import type { SessionActor } from './domain/remote-session.ts';
import type { SessionCore } from './session-core.ts';
import { listInvitedSessions, loadInvitedSession } from './store/invited-session-store.ts';

/** How many of its invited sessions the portal lists: the newest, which are the ones to join. */
export const PORTAL_SESSIONS_SHOWN = 50;

/** Mints a customer link on a session (the lifecycle's own, shared with "Create customer link"). */
export type MintLink = (
  id: number,
  input: { label?: string | undefined; ttlMinutes?: number | undefined },
  actor: SessionActor,
) => Promise<{ token: string; sessionId: number; expiresAt: number }>;

/** Only a customer organisation is ever invited; any other tenant sees nothing here. */
function organisationOf(tenant: Tenant): number {
  return tenant.kind === 'organisation' ? tenant.organisationId : -1;
}

/** The sessions on the organisation's boxes it was invited to (a customer link was created), newest first. */
export async function listPortalSessions(core: SessionCore, tenant: Tenant): Promise<PortalSession[]> {
  const sessions = await listInvitedSessions(core.deps.db, organisationOf(tenant), PORTAL_SESSIONS_SHOWN);
  return (await core.views(sessions)).map(portalSessionOf);
}

/**
 * A fresh customer link for the signed-in account on an invited session, named after it. It
 * is opened at once by the portal, so it waits the shortest time a link may. A session the
 * organisation may not see answers SESSION_NOT_FOUND exactly like a missing one.
 */
export async function joinFromPortal(
  core: SessionCore,
  mint: MintLink,
  id: number,
  tenant: Tenant,
  actor: SessionActor,
): Promise<{ token: string; sessionId: number; expiresAt: number }> {
  const session = await loadInvitedSession(core.deps.db, organisationOf(tenant), id);
  if (!session) throw new AppError('SESSION_NOT_FOUND', { id });
  return mint(id, { label: actor.username, ttlMinutes: LINK_TTL_MINUTES.min }, actor);
}
