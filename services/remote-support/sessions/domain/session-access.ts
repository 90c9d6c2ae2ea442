import type { Role } from '../../../kernel/roles.ts';
import type { SessionIdentity } from './participant.ts';

export const SESSION_ACTIONS = ['join', 'chat', 'note', 'command'] as const;
export type SessionAction = (typeof SESSION_ACTIONS)[number];

/** Why an identity may not do something in a session; the `details` of a FORBIDDEN ack. */
export interface AccessRefusal {
  action: SessionAction;
  /**
   * `other-session`: a customer link belongs to one session only; `customer-link`: links
   * grant viewing and chat; `role`: the permission table leaves the role out;
   * `not-joined`: join the session's room first.
   */
  reason: 'other-session' | 'customer-link' | 'role' | 'not-joined';
  role?: Role;
}

// Accounts: joining and chatting need read access to after-sales data; notes and commands
// are the engineers' tools (the permission table's sessions:write).
const ACCOUNT_PERMISSION = {
  join: 'aftersales:read',
  chat: 'aftersales:read',
  note: 'sessions:write',
  command: 'sessions:write',
} as const;
type SessionPermission = (typeof ACCOUNT_PERMISSION)[SessionAction];

/**
 * The permission table is accounts' rule; the caller passes its check in (accounts' `can`
 * fits), so the session rules name the permissions they need without importing accounts.
 */
export type PermissionCheck = (role: Role, permission: SessionPermission) => boolean;

// Seed promise to customers: the link lets them watch and talk, never act on the box.
const CUSTOMER_ACTIONS: readonly SessionAction[] = ['join', 'chat'];

/** Whether `identity` may take `action` in session `sessionId`; null when it may. */
export function sessionAccess(
  identity: SessionIdentity,
  action: SessionAction,
  target: { sessionId: number; joined: boolean },
  permits: PermissionCheck,
): AccessRefusal | null {
  if (identity.kind === 'customer') {
    if (identity.sessionId !== target.sessionId) return { action, reason: 'other-session' };
    if (!CUSTOMER_ACTIONS.includes(action)) return { action, reason: 'customer-link' };
  } else if (!permits(identity.role, ACCOUNT_PERMISSION[action])) {
    return { action, reason: 'role', role: identity.role };
  }
  if (action !== 'join' && !target.joined) return { action, reason: 'not-joined' };
  return null;
}
