import { api, ApiError } from '../api.js';
import { signedInUser } from '../app.js';
import { data, h, tNodes, when } from '../dom.js';
import { formatCalendarDate, formatDeadline, t } from '../i18n.js';
import { liveCountdown, tickCountdowns } from '../ui.js';
import { auditTrail, card, factList } from './case-words.js';
import { platformMoveButtons } from './platform-moves.js';
import { basisWords, notificationList, platformStateBadge, serviceWords, severityBadge } from './platform-words.js';

/** @typedef {import('../api.js').PlatformTicketView} PlatformTicketView */
/** @typedef {PlatformTicketView['ticket']} PlatformTicket */

/** When and by whom, the who as data. @param {number} at @param {string} who */
const atBy = (at, who) => tNodes('cases.platform.atBy', { at: when(at), who: data(who) });

/** Text a person wrote, kept as written. @param {string} text */
const written = (text) => h('p', { class: 'platform-text', translate: 'no' }, text);

/** @param {PlatformTicket} p @param {PlatformTicketView['organisation']} organisation */
function formCard(p, organisation) {
  const f = p.form;
  return card(
    'platform-form',
    t('cases.platform.form'),
    factList([
      [t('cases.platform.organisation'), organisation ? data(organisation.name) : t('cases.platform.byStaff')],
      [t('cases.platform.project'), data(f.project)],
      [t('cases.platform.reporter'), data(f.reporter)],
      [t('cases.platform.contact'), data(f.contact)],
      [t('cases.platform.severity'), severityBadge(f.severity)],
      [t('cases.platform.occurred'), when(f.occurredAt)],
      [t('cases.platform.submitted'), atBy(p.submittedAt, p.submittedBy)],
      [t('cases.platform.description'), h('p', { class: 'platform-description', translate: 'no' }, f.description)],
    ]),
  );
}

/** @param {PlatformTicket} p */
function scopeCard(p) {
  /** @type {[string, import('../dom.js').Child | import('../dom.js').Child[]][]} */
  let pairs = [[t('cases.platform.decision'), t('cases.platform.notDecided')]];
  if (p.confirmation) {
    const c = p.confirmation;
    pairs = [
      [t('cases.platform.decision'), t('cases.platform.inScope')],
      [t('cases.platform.confirmed'), atBy(c.confirmedAt, c.confirmedBy)],
      [t('cases.platform.periodEnds'), c.maintenancePeriodEndsOn ? formatCalendarDate(c.maintenancePeriodEndsOn) : null],
      [t('cases.platform.service'), c.service ? serviceWords(c.service) : null],
      [t('cases.platform.note'), c.note ? written(c.note) : null],
    ];
  } else if (p.outOfScope) {
    const o = p.outOfScope;
    pairs = [
      [t('cases.platform.decision'), t('cases.platform.notCovered')],
      [t('cases.platform.basis'), basisWords(o.basis)],
      [t('cases.platform.solutionOffered'), o.solutionOffered ? written(o.solutionOffered) : null],
      [t('cases.platform.decided'), atBy(o.decidedAt, o.decidedBy)],
    ];
  }
  return card('platform-scope', t('cases.platform.scope'), factList(pairs));
}

/** @param {PlatformTicket} p */
function repairCard(p) {
  if (!p.repair && !p.resolution && p.reopenings.length === 0)
    return card('platform-repair', t('cases.platform.repair'), h('p', { class: 'empty' }, t('cases.platform.noRepair')));
  return card(
    'platform-repair',
    t('cases.platform.repair'),
    factList([
      [t('cases.platform.solution'), p.repair ? written(p.repair.solution) : null],
      [t('cases.platform.dueBy'), p.repair ? formatDeadline(p.repair.agreedBy) : null],
      [t('cases.platform.agreed'), p.repair ? t('cases.platform.agreedRound', { at: when(p.repair.agreedAt), round: p.repair.round }) : null],
      [t('cases.platform.resolved'), p.resolution ? atBy(p.resolution.resolvedAt, p.resolution.resolvedBy) : null],
      [t('cases.platform.whatWasDone'), p.resolution ? written(p.resolution.summary) : null],
      [
        t('cases.platform.notFixed'),
        p.reopenings.length === 0
          ? null
          : h(
              'ul',
              { class: 'plain-list' },
              p.reopenings.map((r) => h('li', {}, `${when(r.at)}: `, h('span', { class: 'platform-text', translate: 'no' }, r.customerReport))),
            ),
      ],
      [t('cases.platform.closed'), p.closure ? atBy(p.closure.closedAt, p.closure.closedBy) : null],
    ]),
  );
}

/** @param {PlatformTicket['deadlines'][number]} d */
function deadlineStatus(d) {
  if (d.cancelledAt !== null) return h('span', { class: 'muted' }, t('cases.platform.deadlineEnded', { at: when(d.cancelledAt) }));
  if (d.firedAt !== null) return h('span', { class: 'overdue' }, t('cases.platform.deadlinePassed', { at: when(d.firedAt) }));
  return liveCountdown(d.dueAt);
}

/** @param {PlatformTicket} p */
function deadlineCard(p) {
  const content =
    p.deadlines.length === 0
      ? h('p', { class: 'empty' }, t('cases.platform.noDeadline'))
      : h(
          'ul',
          { class: 'deadlines' },
          [...p.deadlines]
            .sort((a, b) => b.scheduledAt - a.scheduledAt)
            .map((d) =>
              h(
                'li',
                {},
                h('strong', {}, t('cases.platform.repairTime')),
                ' ',
                h('span', { class: 'deadline-at' }, formatDeadline(d.dueAt)),
                ' · ',
                deadlineStatus(d),
              ),
            ),
        );
  return card('platform-deadlines', t('cases.platform.deadlines'), content);
}

/**
 * One MTIC platform maintenance ticket: the BUG Feedback Form, the scope decision, the agreed
 * repair, deadlines counting down, notifications, the audit trail, and the moves the signed-in
 * role may make as buttons.
 * @type {import('../app.js').View}
 */
export const platformTicketView = {
  get title() {
    return t('cases.platform.title');
  },
  channels: ['platform-tickets'],
  mount(container, [idText = '']) {
    const id = Number(idText);
    const path = `/platform-tickets/${encodeURIComponent(idText)}`;
    const role = signedInUser().role;
    const state = h('span', { id: 'platform-state' });
    const moves = h('span', { id: 'platform-moves', class: 'moves' });
    const body = h('div', { class: 'case-page' }, h('p', { class: 'muted' }, t('cases.platform.loading')));
    container.append(
      h(
        'div',
        { class: 'toolbar' },
        h('a', { href: '#/platform-tickets' }, t('cases.platform.back')),
        h('h1', {}, t('cases.platform.heading', { id: idText })),
        state,
        moves,
      ),
      body,
    );

    /** @param {PlatformTicketView} v */
    function show(v) {
      const p = v.ticket;
      state.replaceChildren(platformStateBadge(p.state));
      moves.replaceChildren(platformMoveButtons(v, role, show));
      body.replaceChildren(
        h('div', { class: 'case-cards' }, formCard(p, v.organisation), scopeCard(p)),
        h('div', { class: 'case-cards' }, repairCard(p), deadlineCard(p)),
        card('platform-notifications', t('cases.platform.notifications'), notificationList(v.notifications)),
        card('platform-audit', t('cases.platform.audit'), auditTrail(v.audit)),
      );
    }

    tickCountdowns(body);

    return {
      async refresh() {
        try {
          show(/** @type {PlatformTicketView} */ (await api(path)));
        } catch (err) {
          if (!(err instanceof ApiError && (err.code === 'PLATFORM_TICKET_NOT_FOUND' || err.code === 'VALIDATION_FAILED'))) throw err;
          body.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('cases.platform.notFound', { id: idText })));
        }
      },
      onLive: (event) => event.id !== id,
    };
  },
};
