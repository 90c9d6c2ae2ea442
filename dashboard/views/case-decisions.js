import { catalogText, data, h, tNodes, when } from '../dom.js';
import { t } from '../i18n.js';
import { SEVERITY_KEYS } from '../words.js';

/*
 * The triage decisions behind a case or fleet incident: which rule decided, why (the rule's
 * own sentence, as the server words it) and the facts it decided from, all in words.
 */

/** @typedef {import('../api.js').DecisionView} DecisionView */
/** @typedef {import('../api.js').CatalogView['entries'][number]} CatalogEntry */
/** @typedef {import('../dom.js').Child} Child */
/** @typedef {import('../i18n.js').MessageKey} MessageKey */

/** What each triage action did. @type {Record<string, MessageKey>} */
const ACTION_WORDS = {
  'open-case': 'cases.decision.action.open-case',
  'attach-case': 'cases.decision.action.attach-case',
  'open-rma': 'cases.decision.action.open-rma',
  'attach-rma': 'cases.decision.action.attach-rma',
  'open-incident': 'cases.decision.action.open-incident',
  'attach-incident': 'cases.decision.action.attach-incident',
  'note-cleared': 'cases.decision.action.note-cleared',
  'attach-evidence': 'cases.decision.action.attach-evidence',
  'record-evidence': 'cases.decision.action.record-evidence',
  record: 'cases.decision.action.record',
};

/** An action in words; one the page does not know, as the server names it. @param {string} action @returns {string | Node} */
export function actionWords(action) {
  const key = ACTION_WORDS[action];
  return key ? t(key) : data(action.replaceAll('-', ' '));
}

/** @param {unknown} v @returns {v is number} */
const isNumber = (v) => typeof v === 'number';

/** What was typed or reported, as data. @param {unknown} v */
const shown = (v) => data(typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

/** @type {Record<import('../../services/contract/payloads.ts').FaultState, MessageKey>} */
const FAULT_STATE = { raised: 'cases.faultState.raised', cleared: 'cases.faultState.cleared' };

/**
 * A word the box reported from a known set, in the page's language; anything else as data.
 * @param {Record<string, MessageKey>} words
 * @param {unknown} value
 */
function fromSet(words, value) {
  const key = typeof value === 'string' ? words[value] : undefined;
  return key ? t(key) : shown(value);
}

/** @type {ReadonlyArray<readonly [string, MessageKey, MessageKey]>} */
const OPEN_REFS = [
  ['openCase', 'cases.fact.openCase', 'cases.fact.noOpenCase'],
  ['openTicket', 'cases.fact.openTicket', 'cases.fact.noOpenTicket'],
  ['openIncident', 'cases.fact.openIncident', 'cases.fact.noOpenIncident'],
];

/**
 * The facts a rule decided from, as sentences (each a list of text and data). Facts the page
 * does not know are listed as they are, so nothing the rule used is hidden.
 * @param {Record<string, unknown>} facts
 * @returns {Child[][]}
 */
export function factWords(facts) {
  /** @type {Child[][]} */
  const out = [];
  const known = new Set(['serial', 'model', 'firmware', 'faultId', 'eventId', 'code', 'severity', 'state', 'ts', 'type']);
  const serial = shown(facts.serial ?? '—');
  out.push(
    facts.model
      ? tNodes('cases.fact.boxModel', {
          serial,
          model: shown(facts.model),
          firmware: facts.firmware === undefined || facts.firmware === null ? t('cases.fact.unknown') : shown(facts.firmware),
        })
      : tNodes('cases.fact.boxNoModel', { serial }),
  );
  if (typeof facts.type === 'string') out.push(tNodes('cases.fact.evidence', { type: shown(facts.type) }));
  if (typeof facts.severity === 'string')
    out.push(
      tNodes('cases.fact.severity', {
        severity: fromSet(SEVERITY_KEYS, facts.severity),
        state: fromSet(FAULT_STATE, facts.state ?? 'raised'),
      }),
    );
  if (isNumber(facts.ts)) out.push([t('cases.fact.at', { at: when(facts.ts) })]);
  /** @type {string[]} */
  const refs = [];
  for (const [key, open, none] of OPEN_REFS) {
    known.add(key);
    if (!(key in facts)) continue;
    const id = /** @type {{ id?: unknown } | null} */ (facts[key])?.id;
    refs.push(isNumber(id) ? t(open, { id }) : t(none));
  }
  if (refs.length > 0) out.push([t('cases.fact.refs', { refs: refs.join(t('cases.fact.separator')) })]);
  if (isNumber(facts.repeatsInWindow)) {
    known.add('repeatsInWindow');
    out.push([t('cases.fact.repeats', { count: facts.repeatsInWindow })]);
  }
  if (typeof facts.closedRemoteCaseInWindow === 'boolean') {
    known.add('closedRemoteCaseInWindow');
    out.push([t(facts.closedRemoteCaseInWindow ? 'cases.fact.remoteResolved' : 'cases.fact.noRemoteResolved')]);
  }
  if (isNumber(facts.fleetBoxes)) {
    known.add('fleetBoxes');
    out.push([t('cases.fact.fleetBoxes', { count: facts.fleetBoxes })]);
  }
  for (const [key, value] of Object.entries(facts)) {
    if (!known.has(key)) out.push(tNodes('cases.fact.other', { key: data(key), value: shown(value) }));
  }
  return out;
}

/**
 * One decision: what the rule did, its reason, its facts, and the rule and data versions.
 * @param {DecisionView} d
 * @param {Map<string, CatalogEntry>} catalog
 */
function decisionItem(d, catalog) {
  const entry = catalog.get(d.code);
  const title = entry ? catalogText(entry.title) : t('cases.decision.unknownCode');
  return h(
    'li',
    { class: 'decision', 'data-decision-id': d.id },
    h(
      'div',
      { class: 'decision-head' },
      h('strong', {}, tNodes('cases.decision.head', { serial: data(d.serial), title })),
      h('span', { class: 'muted' }, ` · ${when(d.decidedAt)}`),
    ),
    h('p', { class: 'decision-action' }, tNodes('cases.decision.did', { action: actionWords(d.action) })),
    // The rule's reason as the server words it (in the request's language once it offers one).
    h('p', { class: 'decision-reason' }, d.reason),
    h(
      'details',
      {},
      h('summary', {}, t('cases.decision.facts')),
      h(
        'ul',
        { class: 'decision-facts' },
        factWords(d.facts).map((f) => h('li', {}, f)),
      ),
      h(
        'p',
        { class: 'muted' },
        tNodes('cases.decision.rule', {
          rule: h('span', { class: 'mono decision-rule', translate: 'no' }, d.ruleId),
          rulesVersion: data(d.rulesVersion),
          catalogVersion: data(d.catalogVersion),
          code: h('span', { class: 'mono', translate: 'no' }, d.code),
        }),
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
  if (decisions.length === 0) return h('p', { class: 'empty' }, t('cases.decision.none'));
  const catalog = new Map(entries.map((e) => [e.code, e]));
  const newestFirst = [...decisions].sort((a, b) => b.decidedAt - a.decidedAt || b.id - a.id);
  return h(
    'ol',
    { class: 'decisions' },
    newestFirst.map((d) => decisionItem(d, catalog)),
  );
}
