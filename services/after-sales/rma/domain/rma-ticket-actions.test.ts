import { describe, expect, it } from 'vitest';
import { RMA_STATES, type RmaState } from './rma-ticket.ts';
import { ticketActions, ticketMoves } from './rma-ticket-actions.ts';
import { applyStandbyAction } from './rma-standby.ts';
import { LEGAL_MOVES } from '../test-support/rma-moves.ts';
import { ctx, must, ticketIn } from '../test-support/rma-test-kit.ts';

describe('the moves a ticket offers', () => {
  it('lists every move accounts make from each state with its roles, leaving the rules out', () => {
    for (const state of RMA_STATES) {
      const written = LEGAL_MOVES.filter(([from]) => from === state).map(([, to, roles]) => ({
        to,
        roles: roles.filter((r) => r !== 'system'),
      }));
      const { ticket } = ticketIn(state);
      expect(
        ticketMoves(ticket).map(({ to, roles }) => ({ to, roles })),
        state,
      ).toEqual(written);
    }
  });

  it('words each move with its summary from the process', () => {
    expect(ticketMoves(ticketIn('registered').ticket)).toEqual([
      {
        to: 'warranty-confirmed',
        roles: ['admin', 'after-sales'],
        summary: 'after-sales confirms warranty period and scope and recommends transport insurance',
        blockedBy: null,
      },
      {
        to: 'cancelled',
        roles: ['admin', 'after-sales', 'engineer'],
        summary: 'solved remotely or withdrawn before anything was shipped',
        blockedBy: null,
      },
    ]);
    expect(ticketMoves(ticketIn('closed').ticket)).toEqual([]);
  });

  it('says which moves the ticket as it stands refuses, whatever they carry', () => {
    const blocked = (state: RmaState, options: { report?: 'free' | 'charged'; restore?: boolean } = {}) =>
      Object.fromEntries(ticketMoves(ticketIn(state, options).ticket).map((m) => [m.to, m.blockedBy]));
    expect(blocked('diagnosed', { report: 'charged' })).toEqual({ repairing: 'RMA_WRONG_CHARGE_PATH', 'awaiting-decision': null });
    expect(blocked('diagnosed', { report: 'free' })).toEqual({ repairing: null, 'awaiting-decision': 'RMA_WRONG_CHARGE_PATH' });
    expect(blocked('tested', { restore: false })).toEqual({ 'shipped-back': 'RMA_RESTORE_PENDING' });
    expect(blocked('tested')).toEqual({ 'shipped-back': null });

    const { ticket, now } = ticketIn('awaiting-product');
    const required = must(applyStandbyAction(ticket, { kind: 'require', reason: 'long wait' }, ctx(now, 'after-sales'))).ticket;
    const lent = must(
      applyStandbyAction(required, { kind: 'dispatch', unitSerial: 'MTB2411000999', carrier: 'SF', trackingNumber: 'SF1' }, ctx(now, 'after-sales')),
    ).ticket;
    expect(ticketMoves(lent).map((m) => [m.to, m.blockedBy])).toEqual([
      ['in-transit', null],
      ['cancelled', 'RMA_STANDBY_OUTSTANDING'],
    ]);
  });
});

describe('the actions a ticket offers', () => {
  const possibleIn = (state: RmaState, report: 'free' | 'charged' = 'charged', restore = true) => {
    const a = ticketActions(ticketIn(state, { report, restore }).ticket);
    return Object.entries({ ...a, ...Object.fromEntries(Object.entries(a.standby).map(([k, v]) => [`standby.${k}`, v])) })
      .filter(([k, v]) => k !== 'standby' && 'possible' in v && v.possible)
      .map(([k]) => k)
      .sort();
  };

  it('offers scope exclusions until the Repair Report, and the standby unit while the ticket is open', () => {
    expect(possibleIn('registered')).toEqual(['exclusions', 'standby.require']);
    expect(possibleIn('awaiting-product')).toEqual(['exclusions', 'inboundShipping', 'standby.require']);
    expect(possibleIn('received')).toEqual(['exclusions', 'repairReport', 'standby.require']);
    expect(possibleIn('closed')).toEqual([]);
  });

  it('offers the cost confirmation only for a charged report, and the payment while it is awaited', () => {
    expect(possibleIn('diagnosed', 'charged')).toEqual(['costConfirmation', 'standby.require']);
    expect(possibleIn('diagnosed', 'free')).toEqual(['standby.require']);
    expect(possibleIn('awaiting-payment')).toEqual(['payment', 'standby.require']);
  });

  it('offers shipping back only once the parameters were restored or the restore waived', () => {
    expect(possibleIn('tested', 'charged', false)).toEqual(['parameterRestore', 'standby.require']);
    expect(possibleIn('tested', 'charged', true)).toEqual(['outboundShipping', 'parameterRestore', 'standby.require']);
    expect(possibleIn('returned-unrepaired')).toEqual(['outboundShipping', 'standby.require']);
  });

  it('follows the standby unit out and back, and names who may take each step', () => {
    const { ticket, now } = ticketIn('repairing');
    const required = must(applyStandbyAction(ticket, { kind: 'require', reason: 'long repair' }, ctx(now, 'technician'))).ticket;
    expect(ticketActions(required).standby).toEqual({
      require: { possible: false, roles: ['admin', 'after-sales', 'technician'] },
      dispatch: { possible: true, roles: ['admin', 'after-sales'] },
      return: { possible: false, roles: ['admin', 'after-sales'] },
    });
    expect(ticketActions(required).repairReport.roles).toEqual(['admin', 'technician']);
    expect(ticketActions(required).exclusions.roles).toEqual(['admin', 'after-sales']);
  });
});
