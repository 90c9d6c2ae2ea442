import { data, h, tNodes, when } from '../dom.js';
import { t } from '../i18n.js';
import { roleWords } from '../words.js';

/*
 * Plain-language words for the pages of cases, fleet incidents and platform tickets: states,
 * who did something, audit lines. People read these, not event or state names.
 */

/** @typedef {import('../api.js').AuditLine} AuditLine */
/** @typedef {import('../dom.js').Child} Child */
/** @typedef {import('../i18n.js').MessageKey} MessageKey */
/** @typedef {import('../api.js').CaseView['state'] | import('../api.js').IncidentView['state'] | import('../api.js').PlatformTicketView['ticket']['state']} AnyState */
/** @typedef {import('../../services/kernel/support-queue.ts').SupportQueue} SupportQueue */

/** @type {Record<AnyState, MessageKey>} */
const STATE_WORDS = {
  open: 'cases.state.open',
  'in-progress': 'cases.state.in-progress',
  'resolved-remotely': 'cases.state.resolved-remotely',
  escalated: 'cases.state.escalated',
  abandoned: 'cases.state.abandoned',
  acknowledged: 'cases.state.acknowledged',
  resolved: 'cases.state.resolved',
  submitted: 'cases.state.submitted',
  confirmed: 'cases.state.confirmed',
  'out-of-scope': 'cases.state.out-of-scope',
  repairing: 'cases.state.repairing',
  closed: 'cases.state.closed',
};

/**
 * A state as words: `in-progress` → "in progress" / 处理中. A state this page does not know yet
 * is shown as the server names it.
 * @param {string | null} state
 */
export function stateWords(state) {
  if (state === null) return t('cases.state.none');
  const key = /** @type {Record<string, MessageKey | undefined>} */ (STATE_WORDS)[state];
  return key ? t(key) : state.replaceAll('-', ' ');
}

/** Actors that are not people: the names the backend writes for them. @type {Record<string, MessageKey>} */
const MACHINE_ACTORS = {
  diagnostics: 'cases.actor.diagnostics',
  system: 'cases.actor.system',
  scheduler: 'cases.actor.scheduler',
  pms: 'cases.actor.pms',
};

/** Who did something, in words: a machine in the page's language, a person's username as data. @param {string} actor @returns {Child} */
export function actorWords(actor) {
  const key = MACHINE_ACTORS[actor];
  return key ? t(key) : data(actor);
}

/** Child content as one node, for a message argument. @param {Child | Child[]} content */
export function fragment(content) {
  return h('span', {}, content);
}

/** A ticket an audit line points at, as a link. @param {unknown} id */
function ticketLink(id) {
  return typeof id === 'number' ? h('a', { href: `#/tickets/${id}` }, t('cases.audit.rmaTicket', { id })) : null;
}

// The reasons the backend itself writes into audit lines (platform-transitions.ts, triage-actions.ts).
const FORM_SUBMITTED = 'BUG Feedback Form submitted';
const ESCALATED_BY_TRIAGE = /^Escalated to RMA ticket #(\d+) by triage\.$/;

/**
 * An audit line's reason: the backend's own fixed sentences in the page's language; a triage
 * rule's reason as the server words its decision now (the decision's reason, which the server
 * answers in the request's language); anything a person wrote as it was recorded (data).
 * @param {AuditLine} line
 * @param {string} reason
 * @param {ReadonlyMap<string, string>} ruleReasons
 */
function reasonWords(line, reason, ruleReasons) {
  const ruleId = line.data?.ruleId;
  const ruleReason = typeof ruleId === 'string' ? ruleReasons.get(ruleId) : undefined;
  if (ruleReason !== undefined) return h('div', { class: 'audit-reason decision-reason' }, ruleReason);
  if (reason === FORM_SUBMITTED) return h('div', { class: 'audit-reason' }, t('cases.audit.reason.formSubmitted'));
  const escalated = ESCALATED_BY_TRIAGE.exec(reason);
  if (escalated) return h('div', { class: 'audit-reason' }, t('cases.audit.reason.escalatedByTriage', { id: escalated[1] ?? '' }));
  return h('div', { class: 'audit-reason', translate: 'no' }, reason);
}

/**
 * One audit line as a sentence: "li.wei (engineer) moved it from open to in progress", the
 * reason as it was recorded (data: the words a person or the rule wrote then), and what it
 * points at.
 * @param {AuditLine} line
 * @param {ReadonlyMap<string, string>} ruleReasons
 */
function auditItem(line, ruleReasons) {
  const role = typeof line.data?.role === 'string' ? line.data.role : null;
  const actor = fragment(actorWords(line.actor));
  const who =
    role === null ? actor : fragment(tNodes('cases.actor.withRole', { who: actor, role: role === 'pms' ? t('cases.role.pms') : roleWords(role) }));
  /** @type {Child[]} */
  let what;
  if (line.action === 'opened') what = tNodes('cases.audit.opened', { who });
  else if (line.action === 'transition') what = tNodes('cases.audit.moved', { who, from: stateWords(line.from), to: stateWords(line.to) });
  else if (line.to) what = tNodes('cases.audit.otherNow', { who, action: data(line.action.replaceAll('-', ' ')), to: stateWords(line.to) });
  else what = tNodes('cases.audit.other', { who, action: data(line.action.replaceAll('-', ' ')) });
  const ticket = ticketLink(line.data?.ticketId);
  return h(
    'li',
    { class: 'audit-line' },
    h('time', { class: 'muted' }, when(line.at)),
    h('div', {}, h('span', { class: 'audit-what' }, what), ticket ? [' · ', ticket] : null),
    line.reason ? reasonWords(line, line.reason, ruleReasons) : null,
  );
}

/**
 * The audit trail, oldest first, each line in words. `decisions` are the triage decisions
 * behind the entity: a line a rule wrote shows that rule's first decision's reason.
 * @param {readonly AuditLine[]} lines
 * @param {readonly { ruleId: string, reason: string, decidedAt: number, id: number }[]} [decisions]
 */
export function auditTrail(lines, decisions = []) {
  if (lines.length === 0) return h('p', { class: 'empty' }, t('cases.audit.empty'));
  /** @type {Map<string, string>} */
  const ruleReasons = new Map();
  for (const d of [...decisions].sort((a, b) => b.decidedAt - a.decidedAt || b.id - a.id)) ruleReasons.set(d.ruleId, d.reason);
  const oldestFirst = [...lines].sort((a, b) => a.at - b.at || a.id - b.id);
  return h(
    'ol',
    { class: 'audit-trail' },
    oldestFirst.map((line) => auditItem(line, ruleReasons)),
  );
}

/**
 * A definition list of label → value pairs; values are text or nodes, never markup.
 * @param {[string, Child | Child[]][]} pairs
 */
export function factList(pairs) {
  return h(
    'dl',
    { class: 'facts' },
    pairs.flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value === null || value === undefined || value === '' ? '—' : value)]),
  );
}

/**
 * A card with a heading the page's tests and screen readers can find by its id.
 * @param {string} id
 * @param {string} title
 * @param {Child | Child[]} content
 * @param {Child} [tools]
 */
export function card(id, title, content, tools) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': `${id}-title`, id },
    h('h2', { id: `${id}-title` }, title, tools ? h('span', { class: 'card-tools' }, tools) : null),
    h('div', { class: 'card-body' }, content),
  );
}
