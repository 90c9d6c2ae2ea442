import { backupsPanel } from './backups-panel.js';
import { api, ApiError, apiPage } from '../api.js';
import { signedInUser } from '../app.js';
import { badge, data, h, tNodes, when } from '../dom.js';
import { errorText } from '../error-words.js';
import { t } from '../i18n.js';
import { section, tickCountdowns } from '../ui.js';
import { coalesced, FINISHED_STATES, serverWords, stateWords, workingCalendar } from './rma-words.js';
import { auditTrail } from './ticket-audit.js';
import { moveButtons } from './ticket-moves.js';
import { deadlines, registrationForm, repairReport, shipping, warrantyDecision } from './ticket-record.js';
import { exclusions, notes, parameters, standby } from './ticket-work.js';
import { queueWords, roleWords } from '../words.js';

/** @typedef {import('../api.js').TicketView} TicketView */

/** @typedef {import('./rma-words.js').WorkingCalendar} WorkingCalendar */
/** @typedef {import('../i18n.js').MessageKey} MessageKey */

/**
 * The reason of the triage decision that opened the ticket, as the server words it in the page's
 * language: the ticket itself keeps the sentence it was opened with, in English. Decisions come
 * newest first, so the search ends at the first one older than the ticket.
 * @param {TicketView} view
 * @returns {Promise<string | null>}
 */
async function openingReason(view) {
  /** @type {string | null} */
  let cursor = null;
  for (let pages = 0; pages < 5; pages++) {
    const { data: answer, next } = await apiPage(`/devices/${encodeURIComponent(view.ticket.serial)}/decisions?limit=100`, cursor);
    const decisions = /** @type {import('../api.js').DecisionView[]} */ (answer);
    const opening = decisions.find((d) => d.target?.kind === 'ticket' && d.target.id === view.id && d.action === 'open-rma');
    if (opening) return opening.reason;
    if (next === null || decisions.some((d) => d.decidedAt < view.ticket.openedAt)) return null;
    cursor = next;
  }
  return null;
}

/**
 * Where the ticket came from; the fault code and the triage's reason are the server's.
 * @param {TicketView} view
 * @param {string | null} reason the opening decision's reason in the page's language, if found
 * @returns {import('../dom.js').Child[]}
 */
function origin(view, reason) {
  const o = view.origin;
  if (o.kind === 'diagnostics') {
    const why = reason ?? o.reason;
    return [...tNodes('rma.origin.diagnostics', { code: data(o.code ?? '?') }), ...(why ? tNodes('rma.why', { reason: serverWords(why) }) : [])];
  }
  if (o.kind === 'case') return [t('rma.origin.case', { id: String(o.caseId) })];
  return tNodes('rma.origin.manual', { user: data(view.ticket.openedBy) });
}

/** @type {Record<string, MessageKey>} */
const TOPICS = {
  'first-response-overdue': 'rma.topic.first-response-overdue',
  'warranty-confirmed': 'rma.topic.warranty-confirmed',
  'shipping-instructions': 'rma.topic.shipping-instructions',
  'repair-report': 'rma.topic.repair-report',
  'payment-details': 'rma.topic.payment-details',
  'start-repair': 'rma.topic.start-repair',
  postponed: 'rma.topic.postponed',
  'returned-unrepaired': 'rma.topic.returned-unrepaired',
  'shipped-back': 'rma.topic.shipped-back',
  'feedback-follow-up': 'rma.topic.feedback-follow-up',
};
/** A word from one of the maps above, or the raw value shown as data when the map lacks it. @param {Record<string, MessageKey>} map @param {string} value */
const wordOf = (map, value) => {
  const key = map[value];
  return key ? t(key) : data(value);
};

/** @param {TicketView} view */
function notifications(view) {
  if (view.notifications.length === 0) return h('p', { class: 'empty' }, t('rma.notifications.none'));
  return h(
    'ul',
    { class: 'rma-notes' },
    view.notifications.map((n) =>
      h(
        'li',
        { class: 'rma-item' },
        h('span', { class: 'muted' }, tNodes('rma.notifications.to', { audience: roleWords(n.audience), at: when(n.at) })),
        wordOf(TOPICS, n.topic),
      ),
    ),
  );
}

/**
 * China's working-day calendar, fetched once a page load; without it (no access, a failure)
 * deadlines show their countdown in days and hours only.
 * @type {Promise<WorkingCalendar | null> | null}
 */
let calendar = null;
function loadCalendar() {
  calendar ??= api('/calendar')
    .then((answer) => workingCalendar(/** @type {{ years: { holidays: string[], workdays: string[] }[] }} */ (answer)))
    .catch(() => null);
  return calendar;
}

/**
 * One RMA ticket for after-sales and technicians: its record (registration form, warranty,
 * Repair Report, shipping, standby, parameters, deadlines, notes, audit trail) and the moves
 * and actions the signed-in role may make now, each a button opening the form it needs.
 * @type {import('../app.js').View}
 */
export const ticketView = {
  get title() {
    return t('rma.ticket.title');
  },
  channels: ['tickets'],
  mount(container, [idText = '']) {
    const id = Number(idText);
    const user = signedInUser();
    const heading = h('h1', { id: 'ticket-title' }, t('rma.ticket.heading', { id: idText }));
    const headline = h('p', { class: 'muted rma-headline' }, t('rma.ticket.loading'));
    const originLine = h('p', { class: 'muted rma-origin' });
    const moves = section(t('rma.card.moves'));
    const cards = {
      form: section(t('rma.card.form')),
      warranty: section(t('rma.card.warranty')),
      exclusions: section(t('rma.card.exclusions')),
      report: section(t('rma.card.report')),
      shipping: section(t('rma.card.shipping')),
      standby: section(t('rma.card.standby')),
      parameters: section(t('rma.card.parameters')),
      deadlines: section(t('rma.card.deadlines')),
      notes: section(t('rma.card.notes')),
      notifications: section(t('rma.card.notifications')),
      audit: section(t('rma.card.audit')),
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
    container.append(h('div', { class: 'toolbar' }, h('a', { href: '#/tickets' }, t('rma.board.back')), heading), headline, originLine, body);
    tickCountdowns(body);
    // The backups panel (take a backup, diff, restore with its checks) is mounted in this slot.
    const backupsSlot = h('div', { 'data-slot': 'backups' });
    /** Built once the ticket names its box; a reload refreshes it rather than rebuilding it. @type {ReturnType<typeof backupsPanel> | null} */
    let backups = null;

    /** The opening decision's reason in the page's language, once fetched. @type {Promise<string | null> | null} */
    let openingWords = null;

    async function load() {
      /** @type {TicketView} */
      let view;
      try {
        view = /** @type {TicketView} */ (await api(`/tickets/${id}`));
      } catch (err) {
        if (!(err instanceof ApiError && (err.code === 'RMA_NOT_FOUND' || err.code === 'VALIDATION_FAILED'))) throw err;
        headline.replaceChildren(h('span', { class: 'error', role: 'alert' }, t('rma.ticket.notFound', { id: idText })));
        body.hidden = true;
        return;
      }
      const ctx = { view, role: user.role, reload: load };
      headline.className = 'rma-headline';
      headline.replaceChildren(
        badge(stateWords(view.ticket.state), FINISHED_STATES.has(view.ticket.state) ? '' : 'info'),
        h('a', { href: `#/devices/${encodeURIComponent(view.ticket.serial)}`, class: 'mono', translate: 'no' }, view.ticket.serial),
        badge(t('rma.ticket.queue', { queue: queueWords(view.queue) }), 'info'),
      );
      // The opening decision never changes: looked up once per page, not at every live reload.
      if (view.origin.kind === 'diagnostics') openingWords ??= openingReason(view).catch(() => null);
      const reason = openingWords ? await openingWords : null;
      originLine.replaceChildren(...tNodes('rma.ticket.openedAt', { origin: h('span', {}, origin(view, reason)), at: when(view.ticket.openedAt) }));
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
      cards.deadlines.show(deadlines(view, await loadCalendar()));
      cards.notes.show(notes(ctx, user.permissions.includes('tickets:write')));
      cards.notifications.show(notifications(view));
      cards.audit.show(auditTrail(view));
    }

    const reloadSoon = coalesced(() => {
      void load().catch((err) =>
        headline.replaceChildren(h('span', { class: 'error', role: 'alert' }, t('rma.ticket.couldNotReload', { reason: errorText(err) }))),
      );
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
