export { catalogTitles } from './catalog.js';

/** @typedef {import('./live-feed.js').LiveEvent} LiveEvent */
/** @typedef {import('../services/after-sales/diagnostics/domain/triage-rules.ts').TriageAction} TriageAction */

/** What triage did with a fault or event, as a person would say it. @type {Record<TriageAction, string>} */
export const TRIAGE_WORDS = {
  'open-case': 'opened a remote-guidance case',
  'attach-case': 'added it to the open case',
  'open-rma': 'opened a repair ticket',
  'attach-rma': 'added it to the open repair ticket',
  'open-incident': 'opened a fleet incident',
  'attach-incident': 'added the box to the fleet incident',
  'note-cleared': 'noted that it cleared',
  record: 'recorded it',
  'record-evidence': 'recorded the evidence',
  'attach-evidence': 'added the evidence to the repair ticket',
};

/** `awaiting-payment` → `awaiting payment` @param {unknown} state */
export function stateWords(state) {
  return String(state ?? '').replaceAll('-', ' ');
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
 * diagnosed by li.wei"), and the page it is about. Fault codes are named by the catalog.
 * @param {LiveEvent} e
 * @param {Map<string, string>} names catalog titles by fault code
 * @returns {{ text: string, href: string }}
 */
export function describeLive(e, names) {
  const id = String(e.id);
  const href = `#/${PAGES[e.channel]}/${encodeURIComponent(id)}`;
  const code = field(e, 'code');
  const fault = code ? `“${names.get(code) ?? code}”` : '';
  const by = field(e, 'by') ? ` by ${field(e, 'by')}` : '';
  const moved = `moved from ${stateWords(e.data.from)} to ${stateWords(e.data.to)}${by}`;
  /** @type {Record<string, () => string>} */
  const lines = {
    'device.online': () => `Box ${id} came online`,
    'device.offline': () => `Box ${id} went offline`,
    'triage.decided': () =>
      // The reason, a sentence naming the fault again, is on the box's page the line links to.
      `Box ${id} reported ${fault}: diagnostics ${TRIAGE_WORDS[/** @type {TriageAction} */ (field(e, 'action'))] ?? 'decided'}`,
    'case.opened': () => `Case ${id} opened for box ${field(e, 'serial')}: ${fault}`,
    'case.fault-attached': () => `Box ${field(e, 'serial')} reported ${fault} again (case ${id})`,
    'case.transitioned': () => `Case ${id} ${moved}`,
    'case.noted': () => `Note added to case ${id}`,
    'incident.opened': () => `Fleet incident ${id}: ${fault} on ${field(e, 'boxes')} boxes of ${field(e, 'model')} firmware ${field(e, 'firmware')}`,
    'incident.box-added': () => `Box ${field(e, 'serial')} joined fleet incident ${id}`,
    'incident.transitioned': () => `Fleet incident ${id} ${moved}`,
    'rma.opened': () => `Repair ticket ${id} opened for box ${field(e, 'serial')}`,
    'rma.transitioned': () => `Repair ticket ${id} ${moved}`,
    'rma.standby': () => `Standby unit of ticket ${id} ${moved}`,
    'rma.standby-required': () => `Ticket ${id} needs a standby unit: ${field(e, 'reason')}`,
    'rma.parameters': () => `Parameters of ticket ${id}: ${stateWords(e.data.outcome)}`,
    'rma.noted': () => `Note added to ticket ${id}`,
    'rma.evidence-attached': () => `Evidence (${stateWords(e.data.type)}) added to ticket ${id}`,
    'rma.deadline-fired': () => `Ticket ${id}: the ${stateWords(e.data.kind)} deadline passed`,
    'rma.notify': () => `Ticket ${id}: notify ${field(e, 'audience')} (${stateWords(e.data.topic)})`,
    'platform-ticket.submitted': () => `Platform ticket ${id} submitted`,
    'platform-ticket.transitioned': () => `Platform ticket ${id} ${moved}`,
    'platform-ticket.deadline-fired': () => `Platform ticket ${id}: the ${stateWords(e.data.kind)} deadline passed`,
    'platform-ticket.notify': () => `Platform ticket ${id}: notify ${field(e, 'audience')} (${stateWords(e.data.topic)})`,
    'session.opened': () => `Remote session ${id} opened on box ${field(e, 'serial')} (${stateWords(e.data.state)})`,
    'session.started': () => `Remote session ${id} on box ${field(e, 'serial')} started`,
    'session.ended': () =>
      `Remote session ${id} on box ${field(e, 'serial')} ended: ${stateWords(e.data.outcome)}${field(e, 'ticketId') ? `, ticket ${field(e, 'ticketId')}` : ''}`,
  };
  const line = lines[e.type];
  return { text: line ? line().trim() : `${stateWords(e.type.replaceAll('.', ' '))}: ${id}`, href };
}
