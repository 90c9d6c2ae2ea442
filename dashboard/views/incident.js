import { api, ApiError } from '../api.js';
import { signedInUser } from '../app.js';
import { badge, h, when } from '../dom.js';
import { catalogEntries } from '../catalog.js';
import { decisionList } from './case-decisions.js';
import { moveButtons } from './case-moves.js';
import { auditTrail, card, factList, stateWords } from './case-words.js';

/** @typedef {import('../api.js').IncidentDetailView} IncidentDetail */

/** @type {Record<string, import('./case-moves.js').MoveWords>} */
const MOVE_WORDS = {
  acknowledged: { label: 'Acknowledge', title: 'Acknowledge the incident', intro: 'The fleet sees that someone owns it.' },
  resolved: { label: 'Resolve', title: 'Resolve the incident', intro: 'New faults of this code then open a new incident.' },
};

/** @param {IncidentDetail['state']} state */
export function incidentStateBadge(state) {
  return badge(stateWords(state), state === 'open' ? 'bad' : state === 'acknowledged' ? 'warn' : 'ok');
}

/** @param {IncidentDetail} i */
function boxes(i) {
  const links = i.serials.map((s) => h('li', {}, h('a', { class: 'mono', href: `#/devices/${encodeURIComponent(s)}` }, s)));
  const more = i.boxCount - i.serials.length;
  return [h('ul', { class: 'incident-boxes' }, links), more > 0 ? h('p', { class: 'muted' }, `and ${more} more`) : null];
}

/**
 * One fleet incident: one code on many boxes of one model and firmware, with the boxes, the
 * decisions that fed it, its audit trail, and acknowledge/resolve for roles that may write
 * incidents.
 * @type {import('../app.js').View}
 */
export const incidentView = {
  title: 'Fleet incident',
  channels: ['incidents'],
  mount(container, [idText = '']) {
    const id = Number(idText);
    const path = `/incidents/${encodeURIComponent(idText)}`;
    const mayWrite = signedInUser().permissions.includes('incidents:write');
    const state = h('span', { id: 'incident-state' });
    const moves = h('span', { id: 'incident-moves', class: 'moves' });
    const body = h('div', { class: 'case-page' }, h('p', { class: 'muted' }, 'Loading the incident…'));
    container.append(
      h('div', { class: 'toolbar' }, h('a', { href: '#/cases' }, '← Cases & incidents'), h('h1', {}, `Fleet incident #${idText}`), state, moves),
      body,
    );

    /** @param {string} to @param {unknown} payload */
    const post = async (to, payload) => /** @type {IncidentDetail} */ (await api(to, { method: 'POST', body: payload }));

    /** @param {IncidentDetail} i @param {readonly import('../api.js').CatalogView['entries'][number][]} entries */
    function show(i, entries) {
      const entry = entries.find((e) => e.code === i.code);
      state.replaceChildren(incidentStateBadge(i.state));
      moves.replaceChildren(
        mayWrite
          ? moveButtons({ allowed: i.allowedTransitions, words: MOVE_WORDS, path: `${path}/transitions`, post, moved: (d) => show(d, entries) })
          : '',
      );
      body.replaceChildren(
        h(
          'div',
          { class: 'case-cards' },
          card(
            'incident-about',
            'About',
            factList([
              ['Model', i.model],
              ['Firmware', i.firmware],
              ['Code', [h('span', { class: 'mono' }, i.code), entry ? ` · ${entry.title}` : ' · not in the fault catalog']],
              ['State', incidentStateBadge(i.state)],
              ['Opened', when(i.openedAt)],
              ['Resolved', i.resolvedAt === null ? null : when(i.resolvedAt)],
              ['Why', i.note],
            ]),
          ),
          card('incident-boxes', `Boxes (${i.boxCount})`, boxes(i)),
        ),
        card('incident-decisions', 'Triage decisions', decisionList(i.decisions, entries)),
        card('incident-audit', 'Audit trail', auditTrail(i.audit)),
      );
    }

    return {
      async refresh() {
        try {
          const [i, entries] = await Promise.all([/** @type {Promise<IncidentDetail>} */ (api(path)), catalogEntries()]);
          show(i, entries);
        } catch (err) {
          if (!(err instanceof ApiError && (err.code === 'INCIDENT_NOT_FOUND' || err.code === 'VALIDATION_FAILED'))) throw err;
          body.replaceChildren(h('p', { class: 'error', role: 'alert' }, `There is no fleet incident #${idText}.`));
        }
      },
      onLive: (event) => event.id !== id,
    };
  },
};
