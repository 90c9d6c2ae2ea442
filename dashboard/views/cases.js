import { apiPage } from '../api.js';
import { catalogText, data, h, table, when } from '../dom.js';
import { formatNumber, t } from '../i18n.js';
import { pagedList } from '../ui.js';
import { caseStateBadge } from './case.js';
import { catalogEntries } from '../catalog.js';
import { stateWords } from './case-words.js';
import { incidentStateBadge } from './incident.js';
import { queueWords } from '../words.js';

/** @typedef {import('../api.js').CaseView} CaseView */
/** @typedef {import('../api.js').IncidentView} IncidentView */

const PAGE_SIZE = 50;
/** @type {readonly CaseView['state'][]} */
const CASE_STATES = ['open', 'in-progress', 'resolved-remotely', 'escalated', 'abandoned'];
/** @type {readonly IncidentView['state'][]} */
const INCIDENT_STATES = ['open', 'acknowledged', 'resolved'];
// Live events come in bursts (a fleet wave); one reload of the list per burst.
const LIVE_RELOAD_MS = 300;

/**
 * A filter by state: "every state" or one of them.
 * @param {string} id
 * @param {string} label
 * @param {readonly string[]} states
 * @param {() => void} onChange
 */
function stateFilter(id, label, states, onChange) {
  const select = h(
    'select',
    { id, 'aria-label': label },
    h('option', { value: '' }, t('cases.list.everyState')),
    states.map((s) => h('option', { value: s }, stateWords(s))),
  );
  select.addEventListener('change', onChange);
  return select;
}

/** `path` with `state` if one is chosen. @param {string} base @param {string} state */
const listPath = (base, state) => `${base}?limit=${PAGE_SIZE}${state ? `&state=${encodeURIComponent(state)}` : ''}`;

/**
 * The list's page from the answer: the list itself, or (once the server pages it in the body)
 * the object's list.
 * @template T
 * @param {unknown} data
 * @param {string} key
 * @returns {T[]}
 */
function itemsOf(data, key) {
  if (Array.isArray(data)) return data;
  const inner = /** @type {Record<string, unknown> | null} */ (data)?.[key];
  return Array.isArray(inner) ? inner : [];
}

/** Runs `f` once after a burst of calls settles. @param {() => void} f */
function settled(f) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(f, LIVE_RELOAD_MS);
  };
}

/**
 * Remote-guidance cases and fleet incidents, newest first, each list filtered by state and
 * paged by the server; a row opens its page. Live events reload the list they concern.
 * @type {import('../app.js').View}
 */
export const casesView = {
  get title() {
    return t('cases.list.title');
  },
  channels: ['cases', 'incidents'],
  mount(container) {
    /** @type {Map<string, string>} */
    let titles = new Map();
    /** A code's catalog title (in the page's language), or the code itself as data. @param {string} code */
    const problem = (code) => {
      const title = titles.get(code);
      return title ? catalogText(title) : h('span', { translate: 'no' }, code);
    };
    const caseFilter = stateFilter('case-state-filter', t('cases.list.caseFilter'), CASE_STATES, () => void cases.reset());
    const incidentFilter = stateFilter('incident-state-filter', t('cases.list.incidentFilter'), INCIDENT_STATES, () => void incidents.reset());

    const cases = pagedList({
      empty: t('cases.list.noCases'),
      async fetchPage(cursor) {
        const { data, next } = await apiPage(listPath('/cases', caseFilter.value), cursor);
        return { items: itemsOf(data, 'cases'), next };
      },
      /** @param {CaseView[]} list */
      render: (list) =>
        table(
          [
            t('cases.col.case'),
            t('cases.col.box'),
            t('cases.col.problem'),
            t('cases.col.state'),
            t('cases.col.queue'),
            t('cases.col.faults'),
            t('cases.col.lastFault'),
          ],
          list.map((c) => [
            h('a', { class: 'row-link', href: `#/cases/${c.id}` }, t('cases.caseNumber', { id: c.id })),
            h('span', { class: 'mono', translate: 'no' }, c.serial),
            problem(c.code),
            caseStateBadge(c.state),
            queueWords(c.queue),
            formatNumber(c.faultCount),
            when(c.lastFaultAt),
          ]),
        ),
    });
    const incidents = pagedList({
      empty: t('cases.list.noIncidents'),
      async fetchPage(cursor) {
        const { data, next } = await apiPage(listPath('/incidents', incidentFilter.value), cursor);
        return { items: itemsOf(data, 'incidents'), next };
      },
      /** @param {IncidentView[]} list */
      render: (list) =>
        table(
          [
            t('cases.col.incident'),
            t('cases.col.problem'),
            t('cases.col.model'),
            t('cases.col.firmware'),
            t('cases.col.boxes'),
            t('cases.col.state'),
            t('cases.col.opened'),
          ],
          list.map((i) => [
            h('a', { class: 'row-link', href: `#/incidents/${i.id}` }, t('cases.incidentNumber', { id: i.id })),
            problem(i.code),
            data(i.model),
            data(i.firmware),
            formatNumber(i.boxCount),
            incidentStateBadge(i.state),
            when(i.openedAt),
          ]),
        ),
    });
    container.append(
      h('div', { class: 'toolbar' }, h('h1', {}, t('cases.list.remoteCases')), caseFilter),
      h('div', { class: 'list', id: 'case-list' }, cases.el),
      h('div', { class: 'toolbar' }, h('h1', {}, t('cases.list.fleetIncidents')), incidentFilter),
      h('div', { class: 'list', id: 'incident-list' }, incidents.el),
    );
    const reloadCases = settled(() => void cases.reset());
    const reloadIncidents = settled(() => void incidents.reset());

    return {
      async refresh() {
        try {
          titles = new Map((await catalogEntries()).map((e) => [e.code, e.title]));
        } catch {
          // Without the catalog the lists show the codes themselves.
        }
        await Promise.all([cases.reset(), incidents.reset()]);
      },
      onLive(event) {
        if (event.channel === 'cases') reloadCases();
        else if (event.channel === 'incidents') reloadIncidents();
        return true;
      },
    };
  },
};
