import type { AdminCommand } from './admin-command.ts';

/** Every `npm run admin` command, in the order `help` lists them. */
export const ADMIN_COMMANDS: readonly AdminCommand[] = [];
