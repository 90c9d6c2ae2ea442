import type { Role } from '../../../kernel/roles.ts';

/**
 * The permission table: each action and the roles allowed to perform it. Data, not
 * if-chains, so the docs (x-permission in openapi.json) and the checks read the same rows.
 */
export const PERMISSIONS = {
  'devices:read': ['admin', 'engineer', 'after-sales', 'technician'],
  // After-sales registers boxes when they are sold; engineers and technicians only look.
  'devices:write': ['admin', 'after-sales'],
  // Accounts: create and list; disable or enable (ends the account's sessions); set another
  // account's password. Changing one's own password is for every signed-in account (it asks for
  // the current one), so it has no row here.
  'users:manage': ['admin'],
  'users:disable': ['admin'],
  'users:reset-password': ['admin'],
  // Diagnostics and after-sales. Who may move a ticket along which edge is decided by the
  // ticket's own transition table (e.g. only technicians write repair reports); these rows
  // only say who may use the endpoints at all.
  'aftersales:read': ['admin', 'engineer', 'after-sales', 'technician'],
  'tickets:write': ['admin', 'engineer', 'after-sales', 'technician'],
  // Engineers run remote-guidance cases and fleet incidents.
  'cases:write': ['admin', 'engineer'],
  'incidents:write': ['admin', 'engineer'],
  'platform-tickets:write': ['admin', 'engineer', 'after-sales'],
  // Remote commands; engineers additionally need an open session on the box.
  'commands:send': ['admin', 'engineer'],
  // Parameter backups: everyone may look; writing a box's configuration back is for the
  // people who configure boxes.
  'params:read': ['admin', 'engineer', 'after-sales', 'technician'],
  'params:write': ['admin', 'engineer', 'technician'],
  // Remote-guidance sessions: engineers open, run and close them (notes, commands, outcome);
  // everyone with aftersales:read may watch and chat.
  'sessions:write': ['admin', 'engineer'],
  // The holiday calendar decides every deadline: only an admin replaces it.
  'calendar:manage': ['admin'],
  // Customers' organisations: everyone on staff may look one up; after-sales keeps them
  // (contacts, boxes, webhook) and invites the customer's people.
  'organisations:read': ['admin', 'engineer', 'after-sales', 'technician'],
  'organisations:write': ['admin', 'after-sales'],
  // The customer portal, and nothing else, is for customer accounts: every portal route
  // answers for the account's own organisation only (kernel/tenant.ts).
  'portal:use': ['customer'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof PERMISSIONS;
export const ACTIONS = Object.keys(PERMISSIONS) as Action[];

/** Whether a role may perform an action, per the permission table. */
export function can(role: Role, action: Action): boolean {
  return (PERMISSIONS[action] as readonly Role[]).includes(role);
}

/** Every action a role may perform, e.g. for a dashboard to hide buttons it cannot use. */
export function permissionsOf(role: Role): Action[] {
  return ACTIONS.filter((action) => can(role, action));
}
