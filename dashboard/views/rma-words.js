import { h } from '../dom.js';
import { DEFAULT_TIME_ZONE, formatList, t } from '../i18n.js';
import { liveCountdown } from '../ui.js';

/** @typedef {import('../api.js').TicketView} TicketView */
/** @typedef {TicketView['ticket']['state']} RmaState */
/** @typedef {TicketView['ticket']['deadlines'][number]} Deadline */
/** @typedef {TicketView['ticket']['standby']['state']} StandbyState */
/** @typedef {import('../i18n.js').MessageKey} MessageKey */
/** @typedef {import('../dom.js').Child} Child */

/**
 * The states of the after-sales process in the order a ticket goes through them: the board's
 * columns. Only the order is the page's; the states and their moves come from the API.
 * @type {readonly RmaState[]}
 */
export const STATE_ORDER = [
  'registered',
  'warranty-confirmed',
  'awaiting-product',
  'in-transit',
  'received',
  'diagnosed',
  'awaiting-decision',
  'postponed',
  'awaiting-payment',
  'repairing',
  'repaired',
  'tested',
  'returned-unrepaired',
  'shipped-back',
  'closed',
  'cancelled',
];
export const FINISHED_STATES = new Set(['closed', 'cancelled']);

/** @type {Record<RmaState, MessageKey>} */
const STATE_WORDS = {
  registered: 'rma.state.registered',
  'warranty-confirmed': 'rma.state.warranty-confirmed',
  'awaiting-product': 'rma.state.awaiting-product',
  'in-transit': 'rma.state.in-transit',
  received: 'rma.state.received',
  diagnosed: 'rma.state.diagnosed',
  'awaiting-decision': 'rma.state.awaiting-decision',
  postponed: 'rma.state.postponed',
  'awaiting-payment': 'rma.state.awaiting-payment',
  repairing: 'rma.state.repairing',
  repaired: 'rma.state.repaired',
  tested: 'rma.state.tested',
  'returned-unrepaired': 'rma.state.returned-unrepaired',
  'shipped-back': 'rma.state.shipped-back',
  closed: 'rma.state.closed',
  cancelled: 'rma.state.cancelled',
};

/** A ticket state in the page's language: "Awaiting product" / "待客户寄件". @param {RmaState} state */
export function stateWords(state) {
  return STATE_WORDS[state] ? t(STATE_WORDS[state]) : state;
}

/** @type {Record<StandbyState, MessageKey>} */
const STANDBY_WORDS = {
  none: 'rma.standby.none',
  required: 'rma.standby.required',
  dispatched: 'rma.standby.dispatched',
  returned: 'rma.standby.returned',
};
/** @param {StandbyState} state */
export function standbyWords(state) {
  return STANDBY_WORDS[state] ? t(STANDBY_WORDS[state]) : state;
}

/** @type {Record<Deadline['kind'], MessageKey>} */
const DEADLINE_WORDS = {
  'first-response': 'rma.deadline.first-response',
  'repair-cycle': 'rma.deadline.repair-cycle',
  decision: 'rma.deadline.decision',
  payment: 'rma.deadline.payment',
  feedback: 'rma.deadline.feedback',
};
/** @type {Record<Deadline['kind'], MessageKey>} */
const DEADLINE_TITLES = {
  'first-response': 'rma.deadlineTitle.first-response',
  'repair-cycle': 'rma.deadlineTitle.repair-cycle',
  decision: 'rma.deadlineTitle.decision',
  payment: 'rma.deadlineTitle.payment',
  feedback: 'rma.deadlineTitle.feedback',
};
/** A deadline's kind inside a sentence: "first response". @param {Deadline['kind']} kind */
export function deadlineWords(kind) {
  return DEADLINE_WORDS[kind] ? t(DEADLINE_WORDS[kind]) : kind;
}
/** A deadline's kind as a heading: "First response". @param {Deadline['kind']} kind */
export function deadlineTitle(kind) {
  return DEADLINE_TITLES[kind] ? t(DEADLINE_TITLES[kind]) : kind;
}

/** @param {Deadline} d */
export function running(d) {
  return d.firedAt === null && d.cancelledAt === null;
}

/**
 * The running deadline due first, the one the ticket is working against now, or null.
 * @param {TicketView['ticket']} ticket
 */
export function nextDeadline(ticket) {
  const open = ticket.deadlines.filter(running).sort((a, b) => a.dueAt - b.dueAt);
  return open[0] ?? null;
}

/**
 * The ticket's warning about its box's parameter backup, in the page's language. The server
 * decides whether there is one (none, or none from the last 7 days); the words are the page's.
 * @param {TicketView['parameterBackup']} b
 */
export function backupWarning(b) {
  if (!b.warning) return null;
  return t(b.latest ? 'rma.backup.stale' : 'rma.backup.none');
}

/**
 * A date counted across a year without official holiday data may still move.
 * @param {number[]} years
 */
export function provisional(years) {
  const title = t('rma.provisional.title', { years: formatList(years.map(String)) });
  return h('span', { class: 'badge warn', title }, t('rma.provisional'));
}

/**
 * A countdown to a deadline that keeps itself current (ui.js `tickCountdowns`), red once overdue.
 * @param {Deadline} d
 */
export function countdownOf(d) {
  return liveCountdown(d.dueAt);
}

/**
 * A sentence written by the server rather than the page (warranty reasons, charge explanations,
 * exclusion titles and clauses). The server answers them in the request's language where it
 * can; the class names them so the language check can tell them from the page's own words.
 * @param {string} text
 */
export function serverWords(text) {
  return h('span', { class: 'server-words' }, text);
}

/**
 * China's working-day calendar as GET /api/calendar answers it: official holidays and make-up
 * working days by date.
 * @typedef {{ holidays: Set<string>, workdays: Set<string> }} WorkingCalendar
 */

/** @param {{ years: { holidays: string[], workdays: string[] }[] }} answer @returns {WorkingCalendar} */
export function workingCalendar(answer) {
  return {
    holidays: new Set(answer.years.flatMap((y) => y.holidays)),
    workdays: new Set(answer.years.flatMap((y) => y.workdays)),
  };
}

// Working-day deadlines are counted on China's calendar, whatever the account's zone; this
// format only reads today's date there (en-CA writes YYYY-MM-DD), it is never shown.
const chinaDate = new Intl.DateTimeFormat('en-CA', { timeZone: DEFAULT_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
const DAY_MS = 86_400_000;

/**
 * Working days after today (China's date) up to and including `dueDate` (YYYY-MM-DD): weekdays
 * that are not official holidays, plus official make-up working days. Null once the date passed.
 * @param {string} dueDate
 * @param {WorkingCalendar} calendar
 * @param {number} now epoch ms
 */
export function workingDaysUntil(dueDate, calendar, now) {
  const today = chinaDate.format(now);
  if (dueDate < today) return null;
  let days = 0;
  for (let ms = Date.parse(`${today}T00:00:00Z`) + DAY_MS; ; ms += DAY_MS) {
    const date = new Date(ms).toISOString().slice(0, 10);
    if (date > dueDate) break;
    const weekday = new Date(ms).getUTCDay();
    const working = calendar.workdays.has(date) || (weekday !== 0 && weekday !== 6 && !calendar.holidays.has(date));
    if (working) days++;
  }
  return days;
}

// Deadlines the rules count in working days (the first response is counted in business hours).
const WORKING_DAY_KINDS = new Set(['repair-cycle', 'decision', 'payment', 'feedback']);

/**
 * "3 working days left" / "剩余 3 个工作日" for a running deadline counted in working days, or
 * null (a first response, a passed date, no calendar).
 * @param {Deadline} d
 * @param {WorkingCalendar | null} calendar
 */
export function workingDaysLeft(d, calendar) {
  if (!calendar || !WORKING_DAY_KINDS.has(d.kind) || !running(d)) return null;
  const days = workingDaysUntil(d.dueDate, calendar, Date.now());
  if (days === null) return null;
  return h('span', { class: 'rma-working-days' }, t('rma.workingDaysLeft', { days }));
}

// One change sends a few events (moved, customer told, deadline set); one fetch answers them all.
const COALESCE_MS = 100;
/**
 * Runs `run(key)` once for a burst of calls with the same key.
 * @template K
 * @param {(key: K) => void} run
 * @returns {(key: K) => void}
 */
export function coalesced(run) {
  /** @type {Map<K, ReturnType<typeof setTimeout>>} */
  const timers = new Map();
  return (key) => {
    if (timers.has(key)) return;
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        run(key);
      }, COALESCE_MS),
    );
  };
}
