import { describe, expect, it } from 'vitest';
import { exclusionDecisionRefusal } from './rma-exclusion-rules.ts';
import { RMA_STATES } from './rma-ticket.ts';

describe('who may decide warranty scope, and when', () => {
  it('lets after-sales and admins decide while the ticket is not yet priced', () => {
    for (const role of ['after-sales', 'admin']) {
      for (const state of ['registered', 'warranty-confirmed', 'awaiting-product', 'in-transit', 'received'] as const) {
        expect(exclusionDecisionRefusal(state, role)).toBeNull();
      }
    }
  });

  it('refuses technicians, engineers and the rules in every state', () => {
    for (const role of ['technician', 'engineer', 'system']) {
      for (const state of RMA_STATES) {
        expect(exclusionDecisionRefusal(state, role)).toEqual({ code: 'RMA_FORBIDDEN', role, allowed: ['admin', 'after-sales'] });
      }
    }
  });

  it('refuses after-sales once the repair report has priced the repair, and on finished tickets', () => {
    for (const state of [
      'diagnosed',
      'awaiting-decision',
      'awaiting-payment',
      'postponed',
      'repairing',
      'repaired',
      'tested',
      'shipped-back',
      'returned-unrepaired',
      'closed',
      'cancelled',
    ] as const) {
      expect(exclusionDecisionRefusal(state, 'after-sales')).toMatchObject({ code: 'RMA_SCOPE_CLOSED', state });
    }
  });
});
