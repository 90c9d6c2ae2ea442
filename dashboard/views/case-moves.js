import { h } from '../dom.js';
import { actionButton, formDialog } from '../ui.js';

/*
 * The moves of a case or fleet incident as buttons: one per state the server says is allowed
 * from the current one, each asking for the reason the audit trail keeps.
 */

/**
 * @typedef {{ label: string, title: string, intro: string, submit?: string, danger?: boolean }} MoveWords
 */

/**
 * Buttons for the allowed moves; a move asks for its reason and posts it. `moved` gets the
 * server's answer (the entity after the move).
 * @template T
 * @param {{ allowed: readonly string[], words: Record<string, MoveWords>, path: string,
 *   post: (path: string, body: unknown) => Promise<T>, moved: (answer: T) => void }} spec
 */
export function moveButtons({ allowed, words, path, post, moved }) {
  if (allowed.length === 0) return h('span', { class: 'muted' }, 'No further moves.');
  return h(
    'span',
    { class: 'moves' },
    allowed.map((to) => {
      const w = words[to] ?? { label: `Move to ${to.replaceAll('-', ' ')}`, title: `Move to ${to.replaceAll('-', ' ')}`, intro: '' };
      return actionButton(
        w.label,
        async () => {
          const answer = await formDialog({
            title: w.title,
            intro: w.intro ? h('p', {}, w.intro) : undefined,
            fields: [{ name: 'reason', label: 'Reason (kept in the audit trail)', type: 'textarea', required: true, maxLength: 2000 }],
            submit: w.submit ?? w.label,
            danger: w.danger === true,
            onSubmit: (values) => post(path, { to, reason: values.reason }),
          });
          if (answer !== null) moved(answer);
        },
        { tone: w.danger ? 'danger' : undefined, testId: `move-${to}` },
      );
    }),
  );
}
