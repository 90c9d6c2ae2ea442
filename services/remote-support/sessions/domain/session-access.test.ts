import { describe, expect, it } from 'vitest';
import { can } from '../../../platform/accounts/domain/roles.ts';
import { ROLES, STAFF_ROLES } from '../../../kernel/roles.ts';
import { SESSION_ACTIONS, sessionAccess } from './session-access.ts';
import type { SessionIdentity } from './participant.ts';

const account = (role: (typeof ROLES)[number]): SessionIdentity => ({ kind: 'account', userId: 1, username: `${role}-1`, role });
const customer: SessionIdentity = { kind: 'customer', sessionId: 7, linkId: 2, label: null };
const IN_ROOM = { sessionId: 7, joined: true };

describe('who may do what in a session', () => {
  it('keeps customer accounts out: they join through a customer link, confined to one session', () => {
    expect(sessionAccess(account('customer'), 'join', { sessionId: 7, joined: false }, can)).toEqual({
      action: 'join',
      reason: 'role',
      role: 'customer',
    });
  });

  it('lets every staff role join and, once in the room, chat', () => {
    for (const role of STAFF_ROLES) {
      expect(sessionAccess(account(role), 'join', { sessionId: 7, joined: false }, can)).toBeNull();
      expect(sessionAccess(account(role), 'chat', IN_ROOM, can)).toBeNull();
    }
  });

  it('lets only admins and engineers write notes and send commands', () => {
    for (const action of ['note', 'command'] as const) {
      expect(ROLES.filter((r) => sessionAccess(account(r), action, IN_ROOM, can) === null)).toEqual(['admin', 'engineer']);
      expect(sessionAccess(account('technician'), action, IN_ROOM, can)).toEqual({ action, reason: 'role', role: 'technician' });
    }
  });

  it('lets a customer link join and chat in its own session, nothing else', () => {
    expect(SESSION_ACTIONS.filter((a) => sessionAccess(customer, a, IN_ROOM, can) === null)).toEqual(['join', 'chat']);
    expect(sessionAccess(customer, 'command', IN_ROOM, can)).toEqual({ action: 'command', reason: 'customer-link' });
  });

  it("keeps a customer link out of every other session's room", () => {
    for (const action of SESSION_ACTIONS)
      expect(sessionAccess(customer, action, { sessionId: 8, joined: false }, can)).toEqual({ action, reason: 'other-session' });
  });

  it('asks everyone to join the room before speaking or acting in it', () => {
    for (const action of ['chat', 'note', 'command'] as const) {
      expect(sessionAccess(account('admin'), action, { sessionId: 7, joined: false }, can)).toEqual({ action, reason: 'not-joined' });
    }
    expect(sessionAccess(customer, 'chat', { sessionId: 7, joined: false }, can)).toEqual({ action: 'chat', reason: 'not-joined' });
  });
});
