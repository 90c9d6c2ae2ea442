import { describe, expect, it } from 'vitest';
import { can, permissionsOf } from './roles.ts';
import { ROLES, STAFF_ROLES } from '../../../kernel/roles.ts';

describe('permission table', () => {
  it('lets every staff role read devices', () => {
    for (const role of STAFF_ROLES) expect(can(role, 'devices:read')).toBe(true);
  });

  it('lets a customer account use the portal and nothing else: every other route would show other organisations', () => {
    expect(permissionsOf('customer')).toEqual(['portal:use']);
    expect(ROLES.filter((r) => can(r, 'portal:use'))).toEqual(['customer']);
  });

  it('lets only admin and after-sales register or change devices', () => {
    expect(ROLES.filter((r) => can(r, 'devices:write'))).toEqual(['admin', 'after-sales']);
  });

  it('lets only admin manage users, disable or enable them and reset their passwords', () => {
    expect(ROLES.filter((r) => can(r, 'users:manage'))).toEqual(['admin']);
    expect(ROLES.filter((r) => can(r, 'users:disable'))).toEqual(['admin']);
    expect(ROLES.filter((r) => can(r, 'users:reset-password'))).toEqual(['admin']);
  });

  it('lets a technician read devices and after-sales data, move tickets and back up or restore parameters, nothing else', () => {
    expect(permissionsOf('technician')).toEqual([
      'devices:read',
      'aftersales:read',
      'tickets:write',
      'params:read',
      'params:write',
      'organisations:read',
    ]);
  });

  it('lets every role read parameter backups and all but after-sales take or restore them', () => {
    expect(ROLES.filter((r) => can(r, 'params:read'))).toEqual(['admin', 'engineer', 'after-sales', 'technician']);
    expect(ROLES.filter((r) => can(r, 'params:write'))).toEqual(['admin', 'engineer', 'technician']);
  });

  it('lets only admin and engineers run remote cases and fleet incidents', () => {
    expect(ROLES.filter((r) => can(r, 'cases:write'))).toEqual(['admin', 'engineer']);
    expect(ROLES.filter((r) => can(r, 'incidents:write'))).toEqual(['admin', 'engineer']);
  });

  it('lets only admin and engineers run remote-guidance sessions', () => {
    expect(ROLES.filter((r) => can(r, 'sessions:write'))).toEqual(['admin', 'engineer']);
  });

  it('lets only admin replace the holiday calendar', () => {
    expect(ROLES.filter((r) => can(r, 'calendar:manage'))).toEqual(['admin']);
  });
});
