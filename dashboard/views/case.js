import { api, ApiError } from '../api.js';
import { signedInUser } from '../app.js';
import { badge, catalogText, data, h, tNodes, when } from '../dom.js';
import { formatNumber, t } from '../i18n.js';
import { actionButton, formDialog } from '../ui.js';
import { catalogEntries } from '../catalog.js';
import { decisionList } from './case-decisions.js';
import { moveButtons } from './case-moves.js';
import { openSessionButton } from './session-open.js';
import { actorWords, auditTrail, card, factList, fragment, stateWords } from './case-words.js';
import { queueWords } from '../words.js';

/** @typedef {import('../api.js').CaseDetailView} CaseDetail */
/** @typedef {import('../api.js').CatalogView['entries'][number]} CatalogEntry */

/** What each move of a case means to the engineer. @type {Record<string, import('./case-moves.js').MoveWords>} */
const MOVE_WORDS = {
  'in-progress': { label: 'cases.move.start.label', title: 'cases.move.start.title', intro: 'cases.move.start.intro' },
  'resolved-remotely': { label: 'cases.move.remote.label', title: 'cases.move.remote.title', intro: 'cases.move.remote.intro' },
  escalated: {
    label: 'cases.move.escalate.label',
    title: 'cases.move.escalate.title',
    intro: 'cases.move.escalate.intro',
    submit: 'cases.move.escalate.submit',
    danger: true,
  },
  abandoned: { label: 'cases.move.abandon.label', title: 'cases.move.abandon.title', intro: 'cases.move.abandon.intro', danger: true },
};

/** @param {CaseDetail['state']} state */
export function caseStateBadge(state) {
  const tone = state === 'open' ? 'warn' : state === 'in-progress' ? 'info' : state === 'resolved-remotely' ? 'ok' : '';
  return badge(stateWords(state), tone);
}

/** The catalog's guidance as a checklist the engineer ticks while working (ticks stay in the page only). @param {CaseDetail} c @param {CatalogEntry | undefined} entry */
function guidance(c, entry) {
  // The catalog's entry is in the page's language; the case's own copy of the steps is the fallback.
  const steps = entry && entry.steps.length > 0 ? entry.steps : c.steps;
  return [
    h('p', { class: 'guidance-title' }, h('strong', {}, entry ? catalogText(entry.title) : t('cases.case.notInCatalog'))),
    steps.length === 0
      ? h('p', { class: 'empty' }, t('cases.case.noSteps'))
      : h(
          'ol',
          { class: 'guidance-steps' },
          steps.map((step, i) =>
            h(
              'li',
              {},
              h(
                'label',
                { class: 'step' },
                h('input', { type: 'checkbox', 'aria-label': t('cases.case.stepDone', { n: i + 1 }) }),
                catalogText(step),
              ),
            ),
          ),
        ),
  ];
}

/** @param {CaseDetail} c @param {CatalogEntry | undefined} entry */
function about(c, entry) {
  return factList([
    [t('cases.fact.box'), h('a', { class: 'mono', translate: 'no', href: `#/devices/${encodeURIComponent(c.serial)}` }, c.serial)],
    [t('cases.fact.state'), caseStateBadge(c.state)],
    [t('cases.fact.code'), [h('span', { class: 'mono', translate: 'no' }, c.code), entry ? ' · ' : '', entry ? catalogText(entry.title) : '']],
    [t('cases.fact.queue'), queueWords(c.queue)],
    [t('cases.fact.opened'), tNodes('cases.fact.openedBy', { at: when(c.openedAt), who: fragment(actorWords(c.openedBy)) })],
    [t('cases.fact.faults'), t('cases.fact.faultCount', { count: formatNumber(c.faultCount), at: when(c.lastFaultAt) })],
    [t('cases.fact.closed'), c.closedAt === null ? null : when(c.closedAt)],
    [
      t('cases.fact.incident'),
      c.incidentId === null ? null : h('a', { href: `#/incidents/${c.incidentId}` }, t('cases.incidentNumber', { id: c.incidentId })),
    ],
    [
      t('cases.fact.rmaTicket'),
      c.ticketId === null ? null : h('a', { href: `#/tickets/${c.ticketId}` }, t('cases.fact.ticketNumber', { id: c.ticketId })),
    ],
  ]);
}

/** @param {CaseDetail['notes']} notes */
function noteList(notes) {
  if (notes.length === 0) return h('p', { class: 'empty' }, t('cases.case.noNotes'));
  return h(
    'ol',
    { class: 'notes' },
    notes.map((n) =>
      h(
        'li',
        { class: 'note' },
        h('div', { class: 'muted' }, data(n.by), ` · ${when(n.at)}`),
        h('p', { class: 'note-text', translate: 'no' }, n.text),
      ),
    ),
  );
}

/**
 * One remote-guidance case for the engineer working it: the box, what the triage rules decided
 * and why, the catalog's guidance steps to tick through, notes, the audit trail, and the moves
 * the case's state allows as buttons (for roles that may write cases).
 * @type {import('../app.js').View}
 */
export const caseView = {
  get title() {
    return t('cases.case.title');
  },
  channels: ['cases'],
  mount(container, [idText = '']) {
    const id = Number(idText);
    const path = `/cases/${encodeURIComponent(idText)}`;
    const mayWrite = signedInUser().permissions.includes('cases:write');
    const state = h('span', { id: 'case-state' });
    // The remote-session button goes here (the session console's openSessionButton).
    const sessionSlot = h('span', { 'data-slot': 'open-session' });
    const moves = h('span', { id: 'case-moves', class: 'moves' });
    const body = h('div', { class: 'case-page' }, h('p', { class: 'muted' }, t('cases.case.loading')));
    container.append(
      h(
        'div',
        { class: 'toolbar' },
        h('a', { href: '#/cases' }, t('cases.case.back')),
        h('h1', { id: 'case-title' }, t('cases.caseNumber', { id: idText })),
        state,
        sessionSlot,
        moves,
      ),
      body,
    );
    /** @type {HTMLElement | null} */
    let guidanceCard = null;

    /** @param {CaseDetail} c @param {readonly CatalogEntry[]} entries */
    function show(c, entries) {
      const entry = entries.find((e) => e.code === c.code);
      // A session works on a case still being worked; the button asks the API, which decides.
      const workable = c.state === 'open' || c.state === 'in-progress';
      sessionSlot.replaceChildren(workable ? (openSessionButton(c.serial, c.id) ?? '') : '');
      state.replaceChildren(caseStateBadge(c.state));
      moves.replaceChildren(
        mayWrite
          ? moveButtons({ allowed: c.allowedTransitions, words: MOVE_WORDS, path: `${path}/transitions`, post, moved: (d) => show(d, entries) })
          : '',
      );
      // Built once: a live update must not undo the steps the engineer ticked.
      guidanceCard ??= card('case-guidance', t('cases.case.guidance'), guidance(c, entry));
      const addNote = mayWrite
        ? actionButton(
            t('cases.case.addNote'),
            async () => {
              const answer = await formDialog({
                title: t('cases.case.addNoteTitle'),
                fields: [{ name: 'text', label: t('cases.case.note'), type: 'textarea', required: true, maxLength: 4000 }],
                submit: t('cases.case.addNote'),
                onSubmit: (values) => post(`${path}/notes`, { text: values.text }),
              });
              if (answer !== null) show(answer, entries);
            },
            { testId: 'add-note' },
          )
        : null;
      body.replaceChildren(
        h('div', { class: 'case-cards' }, card('case-about', t('cases.case.about'), about(c, entry)), guidanceCard),
        card('case-decisions', t('cases.case.decisions'), decisionList(c.decisions, entries)),
        card('case-notes', t('cases.case.notes'), noteList(c.notes), addNote),
        card('case-audit', t('cases.case.audit'), auditTrail(c.audit, c.decisions)),
      );
    }

    /** @param {string} to @param {unknown} payload */
    const post = async (to, payload) => /** @type {CaseDetail} */ (await api(to, { method: 'POST', body: payload }));

    return {
      async refresh() {
        try {
          const [c, entries] = await Promise.all([/** @type {Promise<CaseDetail>} */ (api(path)), catalogEntries()]);
          show(c, entries);
        } catch (err) {
          if (!(err instanceof ApiError && (err.code === 'CASE_NOT_FOUND' || err.code === 'VALIDATION_FAILED'))) throw err;
          body.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('cases.case.notFound', { id: idText })));
        }
      },
      // Only this case's events change the page; the rest of the channel is other cases.
      onLive: (event) => event.id !== id,
    };
  },
};
