import { describe, expect, it } from 'vitest';
import { applyStandbyAction } from './rma-standby.ts';
import { fireDeadline } from './rma-deadlines.ts';
import { applyTransition } from './rma-transitions.ts';
import { calendar, chinaTime, ctx, must, openAt, ticketIn } from '../test-support/rma-test-kit.ts';

function overdue() {
  const { ticket } = ticketIn('received', { start: chinaTime('2025-09-25', 9) });
  return must(fireDeadline(ticket, 'repair-cycle', { now: chinaTime('2025-10-10', 0), calendar })).ticket;
}

describe('standby equipment', () => {
  it('goes out to the customer and comes back', () => {
    const required = overdue();
    const at = chinaTime('2025-10-10', 10);
    const sent = must(
      applyStandbyAction(
        required,
        { kind: 'dispatch', unitSerial: 'MTB2409000001', carrier: 'SF Express', trackingNumber: 'SF77' },
        ctx(at, 'after-sales', 'amy'),
      ),
    );
    expect(sent.ticket.standby).toMatchObject({
      state: 'dispatched',
      unitSerial: 'MTB2409000001',
      carrier: 'SF Express',
      trackingNumber: 'SF77',
      dispatchedAt: at,
    });
    expect(sent.effects).toEqual([
      {
        kind: 'audit',
        entry: {
          at,
          actor: 'amy',
          role: 'after-sales',
          from: 'received',
          to: 'received',
          reason: 'standby unit MTB2409000001 sent by SF Express SF77',
          standby: { from: 'required', to: 'dispatched' },
        },
      },
      { kind: 'live', event: { type: 'rma.standby', ticketId: 'RMA-1', from: 'required', to: 'dispatched', at } },
    ]);
    const back = must(applyStandbyAction(sent.ticket, { kind: 'return' }, ctx(at + 1000, 'after-sales')));
    expect(back.ticket.standby).toMatchObject({ state: 'returned', unitSerial: 'MTB2409000001', returnedAt: at + 1000 });
  });

  it('may be required by a technician before the cycle runs out', () => {
    const { ticket, now } = ticketIn('diagnosed', { report: 'free' });
    const r = must(applyStandbyAction(ticket, { kind: 'require', reason: 'board on back-order' }, ctx(now, 'technician')));
    expect(r.ticket.standby).toEqual({ state: 'required', reason: 'board on back-order', requiredAt: now });
    expect(r.effects.map((e) => e.kind)).toEqual(['audit', 'live', 'standby-required']);
  });

  it('refuses steps out of order', () => {
    const { ticket, now } = ticketIn('received');
    const early = applyStandbyAction(
      ticket,
      { kind: 'dispatch', unitSerial: 'MTB2409000001', carrier: 'SF', trackingNumber: '1' },
      ctx(now, 'after-sales'),
    );
    expect(early).toEqual({
      ok: false,
      error: { code: 'RMA_STANDBY_INVALID', details: { action: 'dispatch', standby: 'none', ticketState: 'received', allowedActions: ['require'] } },
    });
    expect(applyStandbyAction(overdue(), { kind: 'return' }, ctx(now, 'after-sales'))).toMatchObject({
      ok: false,
      error: { code: 'RMA_STANDBY_INVALID' },
    });
    expect(applyStandbyAction(overdue(), { kind: 'require', reason: 'again' }, ctx(now, 'admin'))).toMatchObject({
      ok: false,
      error: { code: 'RMA_STANDBY_INVALID' },
    });
  });

  it('refuses roles and payloads the step does not allow', () => {
    const required = overdue();
    const dispatch = { kind: 'dispatch', unitSerial: 'MTB2409000001', carrier: 'SF', trackingNumber: '1' };
    expect(applyStandbyAction(required, dispatch, ctx(0, 'technician'))).toMatchObject({
      ok: false,
      error: { code: 'RMA_FORBIDDEN', details: { action: 'dispatch', role: 'technician' } },
    });
    expect(applyStandbyAction(required, { ...dispatch, unitSerial: 'not a serial' }, ctx(0, 'after-sales'))).toMatchObject({
      ok: false,
      error: { code: 'RMA_PAYLOAD_INVALID' },
    });
    expect(applyStandbyAction(required, { kind: 'lend' }, ctx(0, 'after-sales'))).toMatchObject({
      ok: false,
      error: { code: 'RMA_PAYLOAD_INVALID' },
    });
  });

  it('keeps the ticket open while a unit is out on loan', () => {
    const { ticket, now } = ticketIn('shipped-back');
    const lent = must(
      applyStandbyAction(
        must(applyStandbyAction(ticket, { kind: 'require', reason: 'slow' }, ctx(now, 'after-sales'))).ticket,
        { kind: 'dispatch', unitSerial: 'MTB2409000001', carrier: 'SF', trackingNumber: '1' },
        ctx(now, 'after-sales'),
      ),
    ).ticket;
    const r = applyTransition(lent, { to: 'closed', reason: 'done', payload: { closure: 'customer-confirmed' } }, ctx(now + 1, 'after-sales'));
    expect(r).toEqual({
      ok: false,
      error: { code: 'RMA_STANDBY_OUTSTANDING', details: { from: 'shipped-back', to: 'closed', unitSerial: 'MTB2409000001' } },
    });
  });

  it('sends nothing out for a closed ticket', () => {
    const { ticket, now } = ticketIn('closed');
    expect(applyStandbyAction(ticket, { kind: 'require', reason: 'late' }, ctx(now, 'after-sales'))).toMatchObject({
      ok: false,
      error: { code: 'RMA_STANDBY_INVALID', details: { allowedActions: [] } },
    });
    expect(openAt().standby.state).toBe('none');
  });
});
