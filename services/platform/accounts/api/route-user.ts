import type { SessionUser } from '../domain/account.ts';
import type { Action } from '../domain/roles.ts';

/*
 * The kernel's route framework knows no accounts: the user a handler gets is the session's,
 * and the actions a route may require are the permission table's (domain/roles.ts).
 */
declare module '../../../kernel/route-definition.ts' {
  interface RouteUser extends SessionUser {}
  interface RouteActions extends Record<Action, true> {}
}
