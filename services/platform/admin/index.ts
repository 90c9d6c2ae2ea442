/** The public face of this capability: the admin CLI's commands and their runner. */
export * from './admin-command.ts';
export { ADMIN_COMMANDS } from './admin-commands.ts';
export { EXIT, osOperator, runAdmin, type AdminIo } from './run-admin.ts';
