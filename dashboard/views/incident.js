import { api, ApiError } from '../api.js';
import { signedInUser } from '../app.js';
import { badge, catalogText, data, h, when } from '../dom.js';
import { formatNumber, t } from '../i18n.js';
import { catalogEntries } from '../catalog.js';
import { decisionList } from './case-decisions.js';
import { moveButtons } from './case-moves.js';
import { auditTrail, card, factList, stateWords } from './case-words.js';

/** @typedef {import('../api.js').IncidentDetailView} IncidentDetail */

/** @type {Record<string, import('./case-moves.js').MoveWords>} */
const MOVE_WORDS = {
  acknowledged: { label: 'cases.move.acknowledge.label', title: 'cases.move.acknowledge.title', intro: 'cases.move.acknowledge.intro' },
  resolved: { label: 'cases.move.resolve.label', title: 'cases.move.resolve.title', intro: 'cases.move.resolve.intro' },
};

/** @param {IncidentDetail['state']} state */
export function incidentStateBadge(state) {
  return badge(stateWords(state), state === 'open' ? 'bad' : state === 'acknowledged' ? 'warn' : 'ok');
}

/**
 * Why the incident opened: the reason of the decision that opened it, as the server words it
 * (in the request's language); without that decision, the note as it was recorded.
 * @param {IncidentDetail} i
 */
function why(i) {
  const opening = [...i.decisions].filter((d) => d.action === 'open-incident').sort((a, b) => a.decidedAt - b.decidedAt || a.id - b.id)[0];
  if (opening) return h('span', { class: 'decision-reason' }, opening.reason);
  return i.note ? data(i.note) : null;
}

/** @param {IncidentDetail} i */
function boxes(i) {
  const links = i.serials.map((s) => h('li', {}, h('a', { class: 'mono', translate: 'no', href: `#/devices/${encodeURIComponent(s)}` }, s)));
  const more = i.boxCount - i.serials.length;
  return [
    h('ul', { class: 'incident-boxes' }, links),
    more > 0 ? h('p', { class: 'muted' }, t('cases.incident.more', { count: formatNumber(more) })) : null,
  ];
}

/**
 * One fleet incident: one code on many boxes of one model and firmware, with the boxes, the
 * decisions that fed it, its audit trail, and acknowledge/resolve for roles that may write
 * incidents.
 * @type {import('../app.js').View}
 */
export const incidentView = {
  get title() {
    return t('cases.incident.title');
  },
  channels: ['incidents'],
  mount(container, [idText = '']) {
    const id = Number(idText);
    const path = `/incidents/${encodeURIComponent(idText)}`;
    const mayWrite = signedInUser().permissions.includes('incidents:write');
    const state = h('span', { id: 'incident-state' });
    const moves = h('span', { id: 'incident-moves', class: 'moves' });
    const body = h('div', { class: 'case-page' }, h('p', { class: 'muted' }, t('cases.incident.loading')));
    container.append(
      h(
        'div',
        { class: 'toolbar' },
        h('a', { href: '#/cases' }, t('cases.incident.back')),
        h('h1', {}, t('cases.incident.heading', { id: idText })),
        state,
        moves,
      ),
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
            t('cases.case.about'),
            factList([
              [t('cases.incident.model'), data(i.model)],
              [t('cases.incident.firmware'), data(i.firmware)],
              [
                t('cases.fact.code'),
                [h('span', { class: 'mono', translate: 'no' }, i.code), ' · ', entry ? catalogText(entry.title) : t('cases.incident.notInCatalog')],
              ],
              [t('cases.fact.state'), incidentStateBadge(i.state)],
              [t('cases.incident.opened'), when(i.openedAt)],
              [t('cases.incident.resolved'), i.resolvedAt === null ? null : when(i.resolvedAt)],
              // The reason of the decision that opened it, as the server words it; else as recorded.
              [t('cases.incident.why'), why(i)],
            ]),
          ),
          card('incident-boxes', t('cases.incident.boxes', { count: formatNumber(i.boxCount) }), boxes(i)),
        ),
        card('incident-decisions', t('cases.case.decisions'), decisionList(i.decisions, entries)),
        card('incident-audit', t('cases.case.audit'), auditTrail(i.audit, i.decisions)),
      );
    }

    return {
      async refresh() {
        try {
          const [i, entries] = await Promise.all([/** @type {Promise<IncidentDetail>} */ (api(path)), catalogEntries()]);
          show(i, entries);
        } catch (err) {
          if (!(err instanceof ApiError && (err.code === 'INCIDENT_NOT_FOUND' || err.code === 'VALIDATION_FAILED'))) throw err;
          body.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('cases.incident.notFound', { id: idText })));
        }
      },
      onLive: (event) => event.id !== id,
    };
  },
};
