import { h } from '../dom.js';
import { t } from '../i18n.js';
import { actionButton, formDialog } from '../ui.js';
import { stateWords } from './case-words.js';

/*
 * The moves of a case or fleet incident as buttons: one per state the server says is allowed
 * from the current one, each asking for the reason the audit trail keeps.
 */

/** @typedef {import('../i18n.js').MessageKey} MessageKey */
/**
 * The words of one move, as message keys (read when the button is built, in the page's language).
 * @typedef {{ label: MessageKey, title: MessageKey, intro: MessageKey, submit?: MessageKey, danger?: boolean }} MoveWords
 */

/**
 * Buttons for the allowed moves; a move asks for its reason and posts it. `moved` gets the
 * server's answer (the entity after the move).
 * @template T
 * @param {{ allowed: readonly string[], words: Record<string, MoveWords>, path: string,
 *   post: (path: string, body: unknown) => Promise<T>, moved: (answer: T) => void }} spec
 */
export function moveButtons({ allowed, words, path, post, moved }) {
  if (allowed.length === 0) return h('span', { class: 'muted' }, t('cases.move.none'));
  return h(
    'span',
    { class: 'moves' },
    allowed.map((to) => {
      const w = words[to];
      // A move the page has no words for yet is still offered, named by its state.
      const label = w ? t(w.label) : t('cases.move.to', { state: stateWords(to) });
      return actionButton(
        label,
        async () => {
          const answer = await formDialog({
            title: w ? t(w.title) : label,
            intro: w ? h('p', {}, t(w.intro)) : undefined,
            fields: [{ name: 'reason', label: t('cases.move.reason'), type: 'textarea', required: true, maxLength: 2000 }],
            submit: w?.submit ? t(w.submit) : label,
            danger: w?.danger === true,
            onSubmit: (values) => post(path, { to, reason: values.reason }),
          });
          if (answer !== null) moved(answer);
        },
        { tone: w?.danger ? 'danger' : undefined, testId: `move-${to}` },
      );
    }),
  );
}
