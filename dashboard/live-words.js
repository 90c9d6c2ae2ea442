import { data, tNodes } from './dom.js';
import { t } from './i18n.js';
import { ROLE_KEYS } from './words.js';

export { catalogTitles } from './catalog.js';

/** @typedef {import('./live-feed.js').LiveEvent} LiveEvent */
/** @typedef {import('./i18n.js').MessageKey} MessageKey */
/** @typedef {import('./i18n.js').MessageValues} MessageValues */
/** @typedef {import('../services/after-sales/diagnostics/domain/triage-rules.ts').TriageAction} TriageAction */

/** What triage did with a fault or event, as a person would say it. @type {Record<TriageAction, MessageKey>} */
const TRIAGE_KEYS = {
  'open-case': 'fleet.triage.open-case',
  'attach-case': 'fleet.triage.attach-case',
  'open-rma': 'fleet.triage.open-rma',
  'attach-rma': 'fleet.triage.attach-rma',
  'open-incident': 'fleet.triage.open-incident',
  'attach-incident': 'fleet.triage.attach-incident',
  'note-cleared': 'fleet.triage.note-cleared',
  record: 'fleet.triage.record',
  'record-evidence': 'fleet.triage.record-evidence',
  'attach-evidence': 'fleet.triage.attach-evidence',
};

/** `awaiting-payment` → `awaiting payment`: a value no table names, shown as the server wrote it. @param {unknown} state */
export function stateWords(state) {
  return String(state ?? '').replaceAll('-', ' ');
}

/**
 * A value in the page's language through `table`, or null when the table does not name it (a
 * value newer than this page).
 * @param {Record<string, MessageKey>} table
 * @param {unknown} value
 */
export function wordsOf(table, value) {
  const key = typeof value === 'string' && Object.hasOwn(table, value) ? table[value] : undefined;
  return key ? t(key) : null;
}

/** What triage did, in words; `decided` when the action is newer than this page. @param {string} action */
export function triageWords(action) {
  return wordsOf(TRIAGE_KEYS, action) ?? t('fleet.history.decided');
}

/** @type {Record<import('../services/after-sales/rma/domain/rma-ticket.ts').RmaState, MessageKey>} */
const RMA_STATES = {
  registered: 'fleet.state.rma.registered',
  'warranty-confirmed': 'fleet.state.rma.warranty-confirmed',
  'awaiting-product': 'fleet.state.rma.awaiting-product',
  'in-transit': 'fleet.state.rma.in-transit',
  received: 'fleet.state.rma.received',
  diagnosed: 'fleet.state.rma.diagnosed',
  'awaiting-decision': 'fleet.state.rma.awaiting-decision',
  'awaiting-payment': 'fleet.state.rma.awaiting-payment',
  postponed: 'fleet.state.rma.postponed',
  repairing: 'fleet.state.rma.repairing',
  repaired: 'fleet.state.rma.repaired',
  tested: 'fleet.state.rma.tested',
  'shipped-back': 'fleet.state.rma.shipped-back',
  'returned-unrepaired': 'fleet.state.rma.returned-unrepaired',
  closed: 'fleet.state.rma.closed',
  cancelled: 'fleet.state.rma.cancelled',
};
/** @type {Record<import('../services/after-sales/diagnostics/domain/remote-case.ts').CaseState, MessageKey>} */
const CASE_STATES = {
  open: 'fleet.state.case.open',
  'in-progress': 'fleet.state.case.in-progress',
  'resolved-remotely': 'fleet.state.case.resolved-remotely',
  escalated: 'fleet.state.case.escalated',
  abandoned: 'fleet.state.case.abandoned',
};
/** @type {Record<import('../services/after-sales/diagnostics/domain/fleet-incident.ts').IncidentState, MessageKey>} */
const INCIDENT_STATES = {
  open: 'fleet.state.incident.open',
  acknowledged: 'fleet.state.incident.acknowledged',
  resolved: 'fleet.state.incident.resolved',
};
/** @type {Record<import('../services/after-sales/platform-tickets/domain/platform-ticket.ts').PlatformState, MessageKey>} */
const PLATFORM_STATES = {
  submitted: 'fleet.state.platform.submitted',
  confirmed: 'fleet.state.platform.confirmed',
  'out-of-scope': 'fleet.state.platform.out-of-scope',
  repairing: 'fleet.state.platform.repairing',
  resolved: 'fleet.state.platform.resolved',
  closed: 'fleet.state.platform.closed',
};
/** @type {Record<import('../services/after-sales/rma/domain/rma-ticket.ts').StandbyState, MessageKey>} */
const STANDBY_STATES = {
  none: 'fleet.state.standby.none',
  required: 'fleet.state.standby.required',
  dispatched: 'fleet.state.standby.dispatched',
  returned: 'fleet.state.standby.returned',
};
/** @type {Record<string, MessageKey>} */
const SESSION_STATES = { queued: 'fleet.state.session.queued', active: 'fleet.state.session.active', ended: 'fleet.state.session.ended' };
/** @type {Record<string, MessageKey>} */
const SESSION_OUTCOMES = {
  'resolved-remotely': 'fleet.state.outcome.resolved-remotely',
  escalated: 'fleet.state.outcome.escalated',
  abandoned: 'fleet.state.outcome.abandoned',
};
/** @type {Record<string, MessageKey>} */
const PARAMETER_OUTCOMES = {
  verified: 'fleet.state.parameters.verified',
  failed: 'fleet.state.parameters.failed',
  waived: 'fleet.state.parameters.waived',
};
/** @type {Record<string, MessageKey>} */
const DEADLINES = {
  'first-response': 'fleet.deadline.first-response',
  'repair-cycle': 'fleet.deadline.repair-cycle',
  decision: 'fleet.deadline.decision',
  payment: 'fleet.deadline.payment',
  feedback: 'fleet.deadline.feedback',
  'agreed-repair': 'fleet.deadline.agreed-repair',
};
/** @type {Record<string, MessageKey>} */
const TOPICS = {
  'first-response-overdue': 'fleet.topic.first-response-overdue',
  'warranty-confirmed': 'fleet.topic.warranty-confirmed',
  'shipping-instructions': 'fleet.topic.shipping-instructions',
  'repair-report': 'fleet.topic.repair-report',
  'payment-details': 'fleet.topic.payment-details',
  'start-repair': 'fleet.topic.start-repair',
  postponed: 'fleet.topic.postponed',
  'returned-unrepaired': 'fleet.topic.returned-unrepaired',
  'shipped-back': 'fleet.topic.shipped-back',
  'feedback-follow-up': 'fleet.topic.feedback-follow-up',
  confirmed: 'fleet.topic.confirmed',
  'out-of-scope': 'fleet.topic.out-of-scope',
  'repair-scheduled': 'fleet.topic.repair-scheduled',
  resolved: 'fleet.topic.resolved',
  'repair-overdue': 'fleet.topic.repair-overdue',
};
/** The kinds of evidence a box records (contract/payloads.ts EVIDENCE_TYPES). @type {Record<import('../services/contract/payloads.ts').EvidenceType, MessageKey>} */
export const EVIDENCE_WORDS = {
  tamper: 'fleet.evidence.tamper',
  surge: 'fleet.evidence.surge',
  overtemp: 'fleet.evidence.overtemp',
  water: 'fleet.evidence.water',
  label: 'fleet.evidence.label',
  'power-loss': 'fleet.evidence.power-loss',
};

/**
 * A message whose `dataValues` (names people typed, serials, models) are shown as data inside
 * the page's words (dom.js tNodes), so the language check and translation tools leave them alone.
 * @param {MessageKey} key
 * @param {MessageValues} values
 * @param {Record<string, string | number>} dataValues
 * @returns {(string | Node)[]}
 */
export function withData(key, values, dataValues) {
  return tNodes(key, { ...values, ...Object.fromEntries(Object.entries(dataValues).map(([name, value]) => [name, data(String(value))])) });
}

/** Where each channel's subjects have their page. */
const PAGES = /** @type {const} */ ({
  tickets: 'tickets',
  cases: 'cases',
  incidents: 'incidents',
  'platform-tickets': 'platform-tickets',
  devices: 'devices',
  sessions: 'sessions',
});

/** A string field of the event's data, or '' @param {LiveEvent} e @param {string} key */
function field(e, key) {
  const value = e.data[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/**
 * A live event in plain language: a line a clerk can read ("Ticket 12 moved from received to
 * diagnosed by li.wei"), and the page it is about. Fault codes are named by the catalog, in the
 * page's language; what people typed and what boxes reported stays as written (`data`).
 * @param {LiveEvent} e
 * @param {Map<string, string>} names catalog titles by fault code
 * @returns {{ parts: (string | Node)[], href: string }}
 */
export function describeLive(e, names) {
  const id = String(e.id);
  const href = `#/${PAGES[e.channel]}/${encodeURIComponent(id)}`;
  const code = field(e, 'code');
  const fault = code ? (names.get(code) ?? code) : '';
  const by = field(e, 'by');
  /**
   * A state in words, or as the server wrote it (data) when no table names it.
   * @param {Record<string, MessageKey>} table
   * @param {unknown} value
   * @param {string} name
   * @param {Record<string, string>} plain
   * @param {Record<string, string>} raw
   */
  const word = (table, value, name, plain, raw) => {
    const shown = wordsOf(table, value);
    if (shown === null) raw[name] = stateWords(value);
    else plain[name] = shown;
  };
  /**
   * "Subject moved from a to b by someone", states through `table`.
   * @param {MessageKey} subject
   * @param {Record<string, MessageKey>} table
   */
  const moved = (subject, table) => {
    /** @type {Record<string, string>} */
    const plain = { subject: t(subject, { id }), hasBy: by ? 'yes' : 'no' };
    /** @type {Record<string, string>} */
    const raw = { by };
    word(table, e.data.from, 'from', plain, raw);
    word(table, e.data.to, 'to', plain, raw);
    return withData('fleet.live.moved', plain, raw);
  };
  /**
   * @param {MessageKey} key
   * @param {Record<string, string>} plain
   * @param {Record<string, string>} [raw]
   */
  const line = (key, plain, raw = {}) => withData(key, plain, { id, ...raw });
  /**
   * A value in words through `table` (or as written) for `key`'s argument `name`.
   * @param {MessageKey} key
   * @param {Record<string, string>} plain
   * @param {Record<string, string>} raw
   * @param {[string, Record<string, MessageKey>, unknown][]} worded
   */
  const lineWith = (key, plain, raw, worded) => {
    for (const [name, table, value] of worded) word(table, value, name, plain, raw);
    return line(key, plain, raw);
  };
  const serial = field(e, 'serial');
  /** @type {Record<string, () => (string | Node)[]>} */
  const lines = {
    'device.online': () => line('fleet.live.device.online', {}),
    'device.offline': () => line('fleet.live.device.offline', {}),
    // The reason, a sentence naming the fault again, is on the box's page the line links to.
    'triage.decided': () => line('fleet.live.triage.decided', { fault, action: triageWords(field(e, 'action')) }),
    'case.opened': () => line('fleet.live.case.opened', { fault }, { serial }),
    'case.fault-attached': () => line('fleet.live.case.fault-attached', { fault }, { serial }),
    'case.transitioned': () => moved('fleet.live.subject.case', CASE_STATES),
    'case.noted': () => line('fleet.live.case.noted', {}),
    'incident.opened': () =>
      line('fleet.live.incident.opened', { fault, boxes: field(e, 'boxes') }, { model: field(e, 'model'), firmware: field(e, 'firmware') }),
    'incident.box-added': () => line('fleet.live.incident.box-added', {}, { serial }),
    'incident.transitioned': () => moved('fleet.live.subject.incident', INCIDENT_STATES),
    'rma.opened': () => line('fleet.live.rma.opened', {}, { serial }),
    'rma.transitioned': () => moved('fleet.live.subject.rma', RMA_STATES),
    'rma.standby': () => moved('fleet.live.subject.standby', STANDBY_STATES),
    'rma.standby-required': () => line('fleet.live.rma.standby-required', {}, { reason: field(e, 'reason') }),
    'rma.parameters': () => lineWith('fleet.live.rma.parameters', {}, {}, [['outcome', PARAMETER_OUTCOMES, e.data.outcome]]),
    'rma.noted': () => line('fleet.live.rma.noted', {}),
    'rma.evidence-attached': () => lineWith('fleet.live.rma.evidence-attached', {}, {}, [['type', EVIDENCE_WORDS, e.data.type]]),
    'rma.deadline-fired': () => lineWith('fleet.live.rma.deadline-fired', {}, {}, [['kind', DEADLINES, e.data.kind]]),
    'rma.notify': () =>
      lineWith('fleet.live.rma.notify', {}, {}, [
        ['audience', ROLE_KEYS, e.data.audience],
        ['topic', TOPICS, e.data.topic],
      ]),
    'platform-ticket.submitted': () => line('fleet.live.platform-ticket.submitted', {}),
    'platform-ticket.transitioned': () => moved('fleet.live.subject.platform', PLATFORM_STATES),
    'platform-ticket.deadline-fired': () => lineWith('fleet.live.platform-ticket.deadline-fired', {}, {}, [['kind', DEADLINES, e.data.kind]]),
    'platform-ticket.notify': () =>
      lineWith('fleet.live.platform-ticket.notify', {}, {}, [
        ['audience', ROLE_KEYS, e.data.audience],
        ['topic', TOPICS, e.data.topic],
      ]),
    'session.opened': () => lineWith('fleet.live.session.opened', {}, { serial }, [['state', SESSION_STATES, e.data.state]]),
    'session.started': () => line('fleet.live.session.started', {}, { serial }),
    'session.ended': () =>
      lineWith('fleet.live.session.ended', { hasTicket: field(e, 'ticketId') ? 'yes' : 'no', ticketId: field(e, 'ticketId') }, { serial }, [
        ['outcome', SESSION_OUTCOMES, e.data.outcome],
      ]),
  };
  const describe = lines[e.type];
  const parts = describe ? describe() : withData('fleet.live.other', {}, { type: stateWords(e.type.replaceAll('.', ' ')), id });
  return { parts, href };
}
