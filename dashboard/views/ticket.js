import { backupsPanel } from './backups-panel.js';
import { api, ApiError } from '../api.js';
import { signedInUser } from '../app.js';
import { badge, h, when } from '../dom.js';
import { errorText } from '../error-words.js';
import { section, tickCountdowns } from '../ui.js';
import { coalesced, FINISHED_STATES, words } from './rma-words.js';
import { auditTrail } from './ticket-audit.js';
import { moveButtons } from './ticket-moves.js';
import { deadlines, registrationForm, repairReport, shipping, warrantyDecision } from './ticket-record.js';
import { exclusions, notes, parameters, standby } from './ticket-work.js';

/** @typedef {import('../api.js').TicketView} TicketView */

/** @param {TicketView} view */
function origin(view) {
  const o = view.origin;
  if (o.kind === 'diagnostics') return `opened by diagnostics on fault ${o.code ?? '?'}${o.reason ? `: ${o.reason}` : ''}`;
  if (o.kind === 'case') return `escalated from remote case #${o.caseId}`;
  return `opened by ${view.ticket.openedBy}`;
}

/** @param {TicketView} view */
function notifications(view) {
  if (view.notifications.length === 0) return h('p', { class: 'empty' }, 'No messages raised.');
  return h(
    'ul',
    { class: 'rma-notes' },
    view.notifications.map((n) =>
      h('li', { class: 'rma-item' }, h('span', { class: 'muted' }, `${when(n.at)} · to ${n.audience}: `), words(n.topic)),
    ),
  );
}

/**
 * One RMA ticket for after-sales and technicians: its record (registration form, warranty,
 * Repair Report, shipping, standby, parameters, deadlines, notes, audit trail) and the moves
 * and actions the signed-in role may make now, each a button opening the form it needs.
 * @type {import('../app.js').View}
 */
export const ticketView = {
  title: 'Ticket',
  channels: ['tickets'],
  mount(container, [idText = '']) {
    const id = Number(idText);
    const user = signedInUser();
    const heading = h('h1', { id: 'ticket-title' }, `Ticket #${idText}`);
    const headline = h('p', { class: 'muted rma-headline' }, 'Loading the ticket…');
    const originLine = h('p', { class: 'muted rma-origin' });
    const moves = section('Next steps');
    const cards = {
      form: section('Service Registration Form'),
      warranty: section('Warranty decision'),
      exclusions: section('Scope exclusions'),
      report: section('Repair Report and charges'),
      shipping: section('Shipping and tracking'),
      standby: section('Standby unit'),
      parameters: section('Parameters'),
      deadlines: section('Deadlines'),
      notes: section('Notes'),
      notifications: section('Messages raised'),
      audit: section('Audit trail'),
    };
    moves.el.id = 'ticket-moves';
    for (const [name, card] of Object.entries(cards)) card.el.setAttribute('data-card', name);
    const body = h(
      'div',
      { class: 'rma-ticket' },
      moves.el,
      h(
        'div',
        { class: 'rma-ticket-cards' },
        Object.values(cards).map((c) => c.el),
      ),
    );
    container.append(h('div', { class: 'toolbar' }, h('a', { href: '#/tickets' }, '← RMA board'), heading), headline, originLine, body);
    tickCountdowns(body);
    // The backups panel (take a backup, diff, restore with its checks) is mounted in this slot.
    const backupsSlot = h('div', { 'data-slot': 'backups' });
    /** Built once the ticket names its box; a reload refreshes it rather than rebuilding it. @type {ReturnType<typeof backupsPanel> | null} */
    let backups = null;

    async function load() {
      /** @type {TicketView} */
      let view;
      try {
        view = /** @type {TicketView} */ (await api(`/tickets/${id}`));
      } catch (err) {
        if (!(err instanceof ApiError && (err.code === 'RMA_NOT_FOUND' || err.code === 'VALIDATION_FAILED'))) throw err;
        headline.replaceChildren(h('span', { class: 'error', role: 'alert' }, `There is no ticket #${idText}.`));
        body.hidden = true;
        return;
      }
      const ctx = { view, role: user.role, reload: load };
      headline.className = 'rma-headline';
      headline.replaceChildren(
        badge(words(view.ticket.state), FINISHED_STATES.has(view.ticket.state) ? '' : 'info'),
        h('a', { href: `#/devices/${encodeURIComponent(view.ticket.serial)}`, class: 'mono' }, view.ticket.serial),
        badge(`queue ${view.queue}`, 'info'),
      );
      originLine.textContent = `${origin(view)}, ${when(view.ticket.openedAt)}`;
      moves.show(moveButtons(view, user.role, load));
      cards.form.show(registrationForm(view));
      cards.warranty.show(warrantyDecision(view));
      cards.exclusions.show(exclusions(ctx));
      cards.report.show(repairReport(view));
      cards.shipping.show(shipping(view));
      cards.standby.show(standby(ctx));
      cards.parameters.show(parameters(ctx, backupsSlot));
      if (!backups) {
        backups = backupsPanel({ serial: view.ticket.serial });
        backupsSlot.replaceChildren(backups.el);
      }
      void backups.refresh();
      cards.deadlines.show(deadlines(view));
      cards.notes.show(notes(ctx, user.permissions.includes('tickets:write')));
      cards.notifications.show(notifications(view));
      cards.audit.show(auditTrail(view));
    }

    const reloadSoon = coalesced(() => {
      void load().catch((err) => headline.replaceChildren(h('span', { class: 'error', role: 'alert' }, `Could not reload: ${errorText(err)}`)));
    });
    return {
      refresh: load,
      onLive(event) {
        if (event.id === id) reloadSoon(id);
        return true;
      },
    };
  },
};
