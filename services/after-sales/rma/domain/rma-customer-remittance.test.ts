import { describe, expect, it } from 'vitest';
import { ctx, must, ticketIn } from '../test-support/rma-test-kit.ts';
import { recordCustomerRemittance } from './rma-customer-remittance.ts';

describe("the customer's remittance report", () => {
  it('records amount and reference on a ticket awaiting payment, with an audit line, and leaves the state alone', () => {
    const { ticket, now } = ticketIn('awaiting-payment');
    const r = must(recordCustomerRemittance(ticket, { amountFen: 69_600, reference: ' ICBC 001 ' }, ctx(now + 1, 'customer', 'alice')));
    expect(r.ticket.state).toBe('awaiting-payment');
    expect(r.ticket.customerRemittances).toEqual([{ amountFen: 69_600, reference: 'ICBC 001', recordedBy: 'alice', recordedAt: now + 1 }]);
    expect(r.ticket.payment).toBeNull();
    expect(r.effects).toEqual([
      {
        kind: 'audit',
        entry: {
          at: now + 1,
          actor: 'alice',
          role: 'customer',
          from: 'awaiting-payment',
          to: 'awaiting-payment',
          reason: 'the customer reports a remittance of 69600 fen, reference ICBC 001',
          action: 'customer-remittance',
        },
      },
    ]);
  });

  it('is refused before the cost is accepted and after the repair started', () => {
    for (const state of ['awaiting-decision', 'repairing'] as const) {
      const { ticket, now } = ticketIn(state);
      expect(recordCustomerRemittance(ticket, { amountFen: 1, reference: 'x' }, ctx(now + 1, 'customer'))).toEqual({
        ok: false,
        error: { code: 'RMA_REMITTANCE_NOT_NOW', details: { state, allowedStates: ['awaiting-payment'] } },
      });
    }
  });

  it("is the customer's word: staff confirm money with the payment move instead", () => {
    const { ticket, now } = ticketIn('awaiting-payment');
    expect(recordCustomerRemittance(ticket, { amountFen: 1, reference: 'x' }, ctx(now + 1, 'after-sales'))).toMatchObject({
      ok: false,
      error: { code: 'RMA_FORBIDDEN' },
    });
    expect(recordCustomerRemittance(ticket, { amountFen: 0, reference: 'x' }, ctx(now + 1, 'customer'))).toMatchObject({
      ok: false,
      error: { code: 'RMA_PAYLOAD_INVALID' },
    });
  });
});
