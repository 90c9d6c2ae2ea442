import { api, ApiError } from '../api.js';
import { signedInUser } from '../app.js';
import { h, when } from '../dom.js';
import { liveCountdown, tickCountdowns } from '../ui.js';
import { auditTrail, card, factList } from './case-words.js';
import { platformMoveButtons } from './platform-moves.js';
import { basisWords, notificationList, platformStateBadge, SERVICE_WORDS, severityBadge } from './platform-words.js';

/** @typedef {import('../api.js').PlatformTicketView} PlatformTicketView */
/** @typedef {PlatformTicketView['ticket']} PlatformTicket */

/** @param {PlatformTicket} t @param {PlatformTicketView['organisation']} organisation */
function formCard(t, organisation) {
  const f = t.form;
  return card(
    'platform-form',
    'BUG Feedback Form',
    factList([
      ['Organisation', organisation ? organisation.name : 'entered by staff'],
      ['Project', f.project],
      ['Reported by', f.reporter],
      ['Contact', f.contact],
      ['Severity', severityBadge(f.severity)],
      ['Occurred', when(f.occurredAt)],
      ['Submitted', `${when(t.submittedAt)} by ${t.submittedBy}`],
      ['What happens', h('p', { class: 'platform-description' }, f.description)],
    ]),
  );
}

/** @param {PlatformTicket} t */
function scopeCard(t) {
  /** @type {[string, import('../dom.js').Child | import('../dom.js').Child[]][]} */
  let pairs = [['Decision', 'not decided yet']];
  if (t.confirmation) {
    const c = t.confirmation;
    pairs = [
      ['Decision', 'within the maintenance period and scope'],
      ['Confirmed', `${when(c.confirmedAt)} by ${c.confirmedBy}`],
      ['Maintenance period ends', c.maintenancePeriodEndsOn ?? null],
      ['Service', c.service ? SERVICE_WORDS[c.service] : null],
      ['Note', c.note ? h('p', { class: 'platform-text' }, c.note) : null],
    ];
  } else if (t.outOfScope) {
    const o = t.outOfScope;
    pairs = [
      ['Decision', 'not covered'],
      ['Basis', basisWords(o.basis)],
      ['Solution offered', o.solutionOffered ? h('p', { class: 'platform-text' }, o.solutionOffered) : null],
      ['Decided', `${when(o.decidedAt)} by ${o.decidedBy}`],
    ];
  }
  return card('platform-scope', 'Scope', factList(pairs));
}

/** @param {PlatformTicket} t */
function repairCard(t) {
  if (!t.repair && !t.resolution && t.reopenings.length === 0)
    return card('platform-repair', 'Repair', h('p', { class: 'empty' }, 'No repair agreed yet.'));
  return card(
    'platform-repair',
    'Repair',
    factList([
      ['Solution', t.repair ? h('p', { class: 'platform-text' }, t.repair.solution) : null],
      ['Due by', t.repair ? when(t.repair.agreedBy) : null],
      ['Agreed', t.repair ? `${when(t.repair.agreedAt)} (round ${t.repair.round})` : null],
      ['Resolved', t.resolution ? `${when(t.resolution.resolvedAt)} by ${t.resolution.resolvedBy}` : null],
      ['What was done', t.resolution ? h('p', { class: 'platform-text' }, t.resolution.summary) : null],
      [
        'Customer said not fixed',
        t.reopenings.length === 0
          ? null
          : h(
              'ul',
              { class: 'plain-list' },
              t.reopenings.map((r) => h('li', {}, `${when(r.at)}: `, h('span', { class: 'platform-text' }, r.customerReport))),
            ),
      ],
      ['Closed', t.closure ? `${when(t.closure.closedAt)} by ${t.closure.closedBy}` : null],
    ]),
  );
}

/** @param {PlatformTicket['deadlines'][number]} d */
function deadlineStatus(d) {
  if (d.cancelledAt !== null) return h('span', { class: 'muted' }, `ended ${when(d.cancelledAt)}`);
  if (d.firedAt !== null) return h('span', { class: 'overdue' }, `passed ${when(d.firedAt)}; after-sales and engineers were told`);
  return liveCountdown(d.dueAt);
}

/** @param {PlatformTicket} t */
function deadlineCard(t) {
  const content =
    t.deadlines.length === 0
      ? h('p', { class: 'empty' }, 'No deadline runs.')
      : h(
          'ul',
          { class: 'deadlines' },
          [...t.deadlines]
            .sort((a, b) => b.scheduledAt - a.scheduledAt)
            .map((d) => h('li', {}, h('strong', {}, 'Agreed repair time'), ` ${when(d.dueAt)} · `, deadlineStatus(d))),
        );
  return card('platform-deadlines', 'Deadlines', content);
}

/**
 * One MTIC platform maintenance ticket: the BUG Feedback Form, the scope decision, the agreed
 * repair, deadlines counting down, notifications, the audit trail, and the moves the signed-in
 * role may make as buttons.
 * @type {import('../app.js').View}
 */
export const platformTicketView = {
  title: 'Platform ticket',
  channels: ['platform-tickets'],
  mount(container, [idText = '']) {
    const id = Number(idText);
    const path = `/platform-tickets/${encodeURIComponent(idText)}`;
    const role = signedInUser().role;
    const state = h('span', { id: 'platform-state' });
    const moves = h('span', { id: 'platform-moves', class: 'moves' });
    const body = h('div', { class: 'case-page' }, h('p', { class: 'muted' }, 'Loading the platform ticket…'));
    container.append(
      h(
        'div',
        { class: 'toolbar' },
        h('a', { href: '#/platform-tickets' }, '← Platform tickets'),
        h('h1', {}, `Platform ticket #${idText}`),
        state,
        moves,
      ),
      body,
    );

    /** @param {PlatformTicketView} v */
    function show(v) {
      const t = v.ticket;
      state.replaceChildren(platformStateBadge(t.state));
      moves.replaceChildren(platformMoveButtons(v, role, show));
      body.replaceChildren(
        h('div', { class: 'case-cards' }, formCard(t, v.organisation), scopeCard(t)),
        h('div', { class: 'case-cards' }, repairCard(t), deadlineCard(t)),
        card('platform-notifications', 'Notifications', notificationList(v.notifications)),
        card('platform-audit', 'Audit trail', auditTrail(v.audit)),
      );
    }

    tickCountdowns(body);

    return {
      async refresh() {
        try {
          show(/** @type {PlatformTicketView} */ (await api(path)));
        } catch (err) {
          if (!(err instanceof ApiError && (err.code === 'PLATFORM_TICKET_NOT_FOUND' || err.code === 'VALIDATION_FAILED'))) throw err;
          body.replaceChildren(h('p', { class: 'error', role: 'alert' }, `There is no platform ticket #${idText}.`));
        }
      },
      onLive: (event) => event.id !== id,
    };
  },
};
