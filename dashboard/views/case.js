import { api, ApiError } from '../api.js';
import { signedInUser } from '../app.js';
import { badge, h, when } from '../dom.js';
import { actionButton, formDialog } from '../ui.js';
import { catalogEntries } from '../catalog.js';
import { decisionList } from './case-decisions.js';
import { moveButtons } from './case-moves.js';
import { openSessionButton } from './session-open.js';
import { actorWords, auditTrail, card, factList, stateWords } from './case-words.js';

/** @typedef {import('../api.js').CaseDetailView} CaseDetail */
/** @typedef {import('../api.js').CatalogView['entries'][number]} CatalogEntry */

/** What each move of a case means to the engineer. @type {Record<string, import('./case-moves.js').MoveWords>} */
const MOVE_WORDS = {
  'in-progress': { label: 'Start work', title: 'Start working the case', intro: 'The case shows as in progress to everyone.' },
  'resolved-remotely': { label: 'Resolved remotely', title: 'Resolved by remote guidance', intro: 'The case closes as resolved remotely.' },
  escalated: {
    label: 'Escalate to RMA',
    title: 'Escalate to an RMA ticket',
    intro: 'The case closes and an RMA ticket opens for the box, with this reason.',
    submit: 'Escalate',
    danger: true,
  },
  abandoned: { label: 'Abandon', title: 'Abandon the case', intro: 'The case closes without a result.', danger: true },
};

/** @param {CaseDetail['state']} state */
export function caseStateBadge(state) {
  const tone = state === 'open' ? 'warn' : state === 'in-progress' ? 'info' : state === 'resolved-remotely' ? 'ok' : '';
  return badge(stateWords(state), tone);
}

/** The catalog's guidance as a checklist the engineer ticks while working (ticks stay in the page only). @param {CaseDetail} c @param {CatalogEntry | undefined} entry */
function guidance(c, entry) {
  const steps = c.steps.length > 0 ? c.steps : (entry?.steps ?? []);
  return [
    h('p', { class: 'guidance-title' }, h('strong', {}, entry?.title ?? 'This code is not in the fault catalog yet.')),
    steps.length === 0
      ? h('p', { class: 'empty' }, 'The catalog has no steps for this code; identify it and add it to the catalog.')
      : h(
          'ol',
          { class: 'guidance-steps' },
          steps.map((step, i) =>
            h('li', {}, h('label', { class: 'step' }, h('input', { type: 'checkbox', 'aria-label': `Step ${i + 1} done` }), h('span', {}, step))),
          ),
        ),
  ];
}

/** @param {CaseDetail} c @param {CatalogEntry | undefined} entry */
function about(c, entry) {
  return factList([
    ['Box', h('a', { class: 'mono', href: `#/devices/${encodeURIComponent(c.serial)}` }, c.serial)],
    ['State', caseStateBadge(c.state)],
    ['Code', [h('span', { class: 'mono' }, c.code), entry ? ` · ${entry.title}` : '']],
    ['Support queue', c.queue],
    ['Opened', `${when(c.openedAt)} by ${actorWords(c.openedBy)}`],
    ['Faults', `${c.faultCount}, the last at ${when(c.lastFaultAt)}`],
    ['Closed', c.closedAt === null ? null : when(c.closedAt)],
    ['Fleet incident', c.incidentId === null ? null : h('a', { href: `#/incidents/${c.incidentId}` }, `Incident #${c.incidentId}`)],
    ['RMA ticket', c.ticketId === null ? null : h('a', { href: `#/tickets/${c.ticketId}` }, `Ticket #${c.ticketId}`)],
  ]);
}

/** @param {CaseDetail['notes']} notes */
function noteList(notes) {
  if (notes.length === 0) return h('p', { class: 'empty' }, 'No notes yet.');
  return h(
    'ol',
    { class: 'notes' },
    notes.map((n) => h('li', { class: 'note' }, h('div', { class: 'muted' }, `${n.by} · ${when(n.at)}`), h('p', { class: 'note-text' }, n.text))),
  );
}

/**
 * One remote-guidance case for the engineer working it: the box, what the triage rules decided
 * and why, the catalog's guidance steps to tick through, notes, the audit trail, and the moves
 * the case's state allows as buttons (for roles that may write cases).
 * @type {import('../app.js').View}
 */
export const caseView = {
  title: 'Case',
  channels: ['cases'],
  mount(container, [idText = '']) {
    const id = Number(idText);
    const path = `/cases/${encodeURIComponent(idText)}`;
    const mayWrite = signedInUser().permissions.includes('cases:write');
    const state = h('span', { id: 'case-state' });
    // The remote-session button goes here (the session console's openSessionButton).
    const sessionSlot = h('span', { 'data-slot': 'open-session' });
    const moves = h('span', { id: 'case-moves', class: 'moves' });
    const body = h('div', { class: 'case-page' }, h('p', { class: 'muted' }, 'Loading the case…'));
    container.append(
      h(
        'div',
        { class: 'toolbar' },
        h('a', { href: '#/cases' }, '← Cases'),
        h('h1', { id: 'case-title' }, `Case #${idText}`),
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
      guidanceCard ??= card('case-guidance', 'Guidance', guidance(c, entry));
      const addNote = mayWrite
        ? actionButton(
            'Add note',
            async () => {
              const answer = await formDialog({
                title: 'Add a note to the case',
                fields: [{ name: 'text', label: 'Note', type: 'textarea', required: true, maxLength: 4000 }],
                submit: 'Add note',
                onSubmit: (values) => post(`${path}/notes`, { text: values.text }),
              });
              if (answer !== null) show(answer, entries);
            },
            { testId: 'add-note' },
          )
        : null;
      body.replaceChildren(
        h('div', { class: 'case-cards' }, card('case-about', 'About', about(c, entry)), guidanceCard),
        card('case-decisions', 'Triage decisions', decisionList(c.decisions, entries)),
        card('case-notes', 'Notes', noteList(c.notes), addNote),
        card('case-audit', 'Audit trail', auditTrail(c.audit)),
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
          body.replaceChildren(h('p', { class: 'error', role: 'alert' }, `There is no case #${idText}.`));
        }
      },
      // Only this case's events change the page; the rest of the channel is other cases.
      onLive: (event) => event.id !== id,
    };
  },
};
