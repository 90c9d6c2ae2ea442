import { describe, expect, it } from 'vitest';
import { can, permissionsOf, ROLES } from './roles.ts';

describe('permission table', () => {
  it('lets every role read devices', () => {
    for (const role of ROLES) expect(can(role, 'devices:read')).toBe(true);
  });

  it('lets only admin and after-sales register or change devices', () => {
    expect(ROLES.filter((r) => can(r, 'devices:write'))).toEqual(['admin', 'after-sales']);
  });

  it('lets only admin manage users', () => {
    expect(ROLES.filter((r) => can(r, 'users:manage'))).toEqual(['admin']);
  });

  it('lists a technician as able to read devices and nothing else', () => {
    expect(permissionsOf('technician')).toEqual(['devices:read']);
  });
});
