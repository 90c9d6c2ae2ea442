import { describe, expect, it } from 'vitest';
import { customerMay, decisionRefusal, reportVisible, runningDeadlines, waitingFor } from './customer-ticket.ts';

describe('the customer side of a ticket', () => {
  it('waits for the customer exactly where the seed has them act: ship, decide, pay, confirm receipt', () => {
    expect(waitingFor('awaiting-product')).toBe('customer');
    expect(waitingFor('awaiting-decision')).toBe('customer');
    expect(waitingFor('postponed')).toBe('customer');
    expect(waitingFor('awaiting-payment')).toBe('customer');
    expect(waitingFor('shipped-back')).toBe('customer');
    expect(waitingFor('repairing')).toBe('vendor');
    expect(waitingFor('registered')).toBe('vendor');
    expect(waitingFor('closed')).toBe('nobody');
  });

  it('offers the cost decision only while awaiting it or postponed, and refuses it elsewhere with the states that take it', () => {
    expect(customerMay('awaiting-decision')).toEqual({ decide: true, recordPayment: false, ship: false, confirmReceipt: false });
    expect(customerMay('postponed').decide).toBe(true);
    expect(customerMay('awaiting-payment')).toEqual({ decide: false, recordPayment: true, ship: false, confirmReceipt: false });
    expect(customerMay('awaiting-product').ship).toBe(true);
    expect(customerMay('shipped-back').confirmReceipt).toBe(true);
    expect(decisionRefusal('postponed')).toBeNull();
    expect(decisionRefusal('repairing')).toEqual({ state: 'repairing', allowedStates: ['awaiting-decision', 'postponed'] });
  });

  it('lists running deadlines soonest first with whose they are', () => {
    const d = (kind: string, dueAt: number, firedAt: number | null = null) => ({ kind, dueAt, dueDate: '2025-07-01', firedAt, cancelledAt: null });
    expect(runningDeadlines([d('payment', 30), d('decision', 20, 5), d('repair-cycle', 10)])).toEqual([
      { kind: 'repair-cycle', dueAt: 10, dueDate: '2025-07-01', owner: 'vendor' },
      { kind: 'payment', dueAt: 30, dueDate: '2025-07-01', owner: 'customer' },
    ]);
  });

  it('shows the Repair Report once it was sent to the customer, not the draft', () => {
    expect(reportVisible(null)).toBe(false);
    expect(reportVisible({ sentAt: null })).toBe(false);
    expect(reportVisible({ sentAt: 1 })).toBe(true);
  });
});
