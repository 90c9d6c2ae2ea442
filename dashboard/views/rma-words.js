import { h } from '../dom.js';
import { liveCountdown } from '../ui.js';

/** @typedef {import('../api.js').TicketView} TicketView */
/** @typedef {TicketView['ticket']['state']} RmaState */
/** @typedef {TicketView['ticket']['deadlines'][number]} Deadline */

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

/** "awaiting-product" → "Awaiting product". @param {string} word */
export function words(word) {
  const text = word.replaceAll('-', ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** @type {Record<Deadline['kind'], string>} */
const DEADLINE_WORDS = {
  'first-response': 'first response',
  'repair-cycle': 'repair cycle',
  decision: 'customer decision',
  payment: 'payment',
  feedback: 'feedback week',
};
/** @param {Deadline['kind']} kind */
export function deadlineWords(kind) {
  return DEADLINE_WORDS[kind] ?? kind;
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
 * A date counted across a year without official holiday data may still move.
 * @param {number[]} years
 */
export function provisional(years) {
  const title = `counted across ${years.join(', ')} without official holiday data: the date may move`;
  return h('span', { class: 'badge warn', title }, 'provisional');
}

/**
 * A countdown to a deadline that keeps itself current (ui.js `tickCountdowns`), red once overdue.
 * @param {Deadline} d
 */
export function countdownOf(d) {
  return liveCountdown(d.dueAt);
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
