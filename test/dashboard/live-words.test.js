import { describe, expect, it } from 'vitest';
import { describeLive } from '../../dashboard/live-words.js';

/* The dashboard's own logic, type-checked with the dashboard (checkJs). The live feed's lines are plain language: catalog titles, user names and ticket numbers. */

const names = new Map([['FLASH_WRITE_FAILED', 'Flash memory write failed']]);
const at = Date.UTC(2026, 10, 30, 9, 0);

describe('live feed words', () => {
  it('names a triage decision by the catalog title and what was done, linking to the box', () => {
    const line = describeLive(
      {
        channel: 'devices',
        type: 'triage.decided',
        id: 'MTB26A0000001',
        at,
        data: { code: 'FLASH_WRITE_FAILED', action: 'open-rma', ruleId: 'hw-rma', reason: 'hardware fault', target: null },
      },
      names,
    );
    expect(line).toEqual({
      text: 'Box MTB26A0000001 reported “Flash memory write failed”: diagnostics opened a repair ticket',
      href: '#/devices/MTB26A0000001',
    });
  });

  it('says who moved a ticket from which state to which', () => {
    const line = describeLive(
      { channel: 'cases', type: 'case.transitioned', id: 7, at, data: { from: 'open', to: 'in-progress', by: 'li.wei' } },
      names,
    );
    expect(line).toEqual({ text: 'Case 7 moved from open to in progress by li.wei', href: '#/cases/7' });
  });

  it('falls back to the code when the catalog does not know it, and to words for an unknown event', () => {
    expect(describeLive({ channel: 'cases', type: 'case.opened', id: 3, at, data: { serial: 'MTB1', code: 'X_NEW' } }, names).text).toBe(
      'Case 3 opened for box MTB1: “X_NEW”',
    );
    expect(describeLive({ channel: 'tickets', type: 'rma.something-new', id: 4, at, data: {} }, names)).toEqual({
      text: 'rma something new: 4',
      href: '#/tickets/4',
    });
  });

  it('encodes the subject in the link', () => {
    expect(describeLive({ channel: 'devices', type: 'device.online', id: 'A/B#1', at, data: {} }, names).href).toBe('#/devices/A%2FB%231');
  });
});
