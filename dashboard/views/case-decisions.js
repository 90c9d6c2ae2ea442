import { api } from '../api.js';
import { h, when } from '../dom.js';

/*
 * The triage decisions behind a case or fleet incident: which rule decided, why (the rule's
 * own sentence) and the facts it decided from, all in words.
 */

/** @typedef {import('../api.js').DecisionView} DecisionView */
/** @typedef {import('../api.js').CatalogView['entries'][number]} CatalogEntry */

/** What each triage action did. @type {Record<string, string>} */
const ACTION_WORDS = {
  'open-case': 'opened a remote-guidance case',
  'attach-case': 'added the fault to the open case',
  'open-rma': 'opened an RMA ticket',
  'attach-rma': 'added the fault to the open RMA ticket',
  'open-incident': 'opened a fleet incident',
  'attach-incident': 'added the box to the fleet incident',
  'note-cleared': 'noted that the fault cleared',
  'attach-evidence': 'suggested a warranty exclusion on the open ticket',
  'record-evidence': 'recorded the evidence',
  record: 'recorded it only',
};

/** @param {string} action */
export function actionWords(action) {
  return ACTION_WORDS[action] ?? action.replaceAll('-', ' ');
}

/** @param {unknown} v */
const isNumber = (v) => typeof v === 'number';

/**
 * An open case, ticket or incident the rule saw, or that there was none.
 * @param {unknown} ref
 * @param {string} what
 */
function openRef(ref, what) {
  const id = /** @type {{ id?: unknown } | null} */ (ref)?.id;
  return isNumber(id) ? `an open ${what} (#${id})` : `no open ${what}`;
}

/** @param {number} n @param {string} one @param {string} many */
const count = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/**
 * The facts a rule decided from, as sentences. Facts the page does not know are listed as
 * they are, so nothing the rule used is hidden.
 * @param {Record<string, unknown>} facts
 * @returns {string[]}
 */
export function factWords(facts) {
  /** @type {string[]} */
  const out = [];
  const known = new Set(['serial', 'model', 'firmware', 'faultId', 'eventId', 'code', 'severity', 'state', 'ts', 'type']);
  const model = facts.model ? `${facts.model}, firmware ${facts.firmware ?? 'unknown'}` : 'model and firmware unknown';
  out.push(`Box ${String(facts.serial ?? '—')} (${model}).`);
  if (typeof facts.type === 'string') out.push(`Evidence reported: ${facts.type}.`);
  if (typeof facts.severity === 'string') out.push(`The box reported it as ${facts.severity}, ${String(facts.state ?? 'raised')}.`);
  if (isNumber(facts.ts)) out.push(`At ${when(/** @type {number} */ (facts.ts))} by the box's clock.`);
  const refs = [];
  for (const [key, what] of /** @type {const} */ ([
    ['openCase', 'case'],
    ['openTicket', 'RMA ticket'],
    ['openIncident', 'fleet incident'],
  ])) {
    known.add(key);
    if (key in facts) refs.push(openRef(facts[key], what));
  }
  if (refs.length > 0) out.push(`The box had ${refs.join(', ')}.`);
  if (isNumber(facts.repeatsInWindow)) {
    known.add('repeatsInWindow');
    out.push(`It raised this code ${count(/** @type {number} */ (facts.repeatsInWindow), 'time', 'times')} in the repeat window.`);
  }
  if (typeof facts.closedRemoteCaseInWindow === 'boolean') {
    known.add('closedRemoteCaseInWindow');
    out.push(
      facts.closedRemoteCaseInWindow
        ? 'A remote case for this code was resolved in the repeat window.'
        : 'No remote case for this code was resolved in the repeat window.',
    );
  }
  if (isNumber(facts.fleetBoxes)) {
    known.add('fleetBoxes');
    out.push(`${count(/** @type {number} */ (facts.fleetBoxes), 'box', 'boxes')} of this model and firmware raised it in the fleet window.`);
  }
  for (const [key, value] of Object.entries(facts)) {
    if (!known.has(key)) out.push(`${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  }
  return out;
}

/**
 * One decision: what the rule did, its reason, its facts, and the rule and data versions.
 * @param {DecisionView} d
 * @param {Map<string, CatalogEntry>} catalog
 */
function decisionItem(d, catalog) {
  const title = catalog.get(d.code)?.title ?? 'a code the catalog does not know';
  return h(
    'li',
    { class: 'decision', 'data-decision-id': d.id },
    h('div', { class: 'decision-head' }, h('strong', {}, `${d.serial}: ${title}`), h('span', { class: 'muted' }, ` · ${when(d.decidedAt)}`)),
    h('p', { class: 'decision-action' }, `Diagnostics ${actionWords(d.action)}.`),
    h('p', { class: 'decision-reason' }, d.reason),
    h(
      'details',
      {},
      h('summary', {}, 'Facts it decided from'),
      h(
        'ul',
        { class: 'decision-facts' },
        factWords(d.facts).map((f) => h('li', {}, f)),
      ),
      h(
        'p',
        { class: 'muted' },
        'Rule ',
        h('span', { class: 'mono decision-rule' }, d.ruleId),
        ` (rules ${d.rulesVersion}, catalog ${d.catalogVersion}), code `,
        h('span', { class: 'mono' }, d.code),
        '.',
      ),
    ),
  );
}

/**
 * The decisions, newest first.
 * @param {readonly DecisionView[]} decisions
 * @param {readonly CatalogEntry[]} entries
 */
export function decisionList(decisions, entries) {
  if (decisions.length === 0) return h('p', { class: 'empty' }, 'No triage decisions point here.');
  const catalog = new Map(entries.map((e) => [e.code, e]));
  const newestFirst = [...decisions].sort((a, b) => b.decidedAt - a.decidedAt || b.id - a.id);
  return h(
    'ol',
    { class: 'decisions' },
    newestFirst.map((d) => decisionItem(d, catalog)),
  );
}
