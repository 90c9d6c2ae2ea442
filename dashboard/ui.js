import { h } from './dom.js';
import { errorText } from './error-words.js';
import { formatMoney, fromDateTimeInput, t } from './i18n.js';

/** @typedef {import('./dom.js').Child} Child */

/**
 * A card that says it is loading, then shows what it is given, or the failure in words.
 * @param {string} title
 * @param {Child} [tools] shown beside the title (e.g. an action button)
 */
export function section(title, tools) {
  const body = h('div', {}, h('p', { class: 'muted' }, t('common.loading')));
  const el = h('section', { class: 'card' }, h('h2', {}, title, tools ? h('span', { class: 'card-tools' }, tools) : null), body);
  return {
    el,
    /** @param {Child | Child[]} content */
    show: (content) => body.replaceChildren(h('div', {}, content)),
    /** @param {unknown} err */
    fail: (err) => body.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('common.couldNotLoad', { reason: errorText(err) }))),
  };
}

/**
 * A button that runs `run` once per click: disabled and labelled `busy` while it runs, and the
 * failure shown in words beside it (until the next click). Answers the wrapper to place.
 * @param {string} label
 * @param {() => Promise<unknown>} run
 * @param {{ busy?: string, tone?: 'secondary' | 'danger', testId?: string }} [options]
 */
export function actionButton(label, run, { busy = t('common.working'), tone, testId } = {}) {
  const error = h('span', { class: 'error inline', role: 'alert' });
  const button = h('button', { type: 'button', class: tone, 'data-testid': testId }, label);
  button.addEventListener('click', async () => {
    error.textContent = '';
    button.disabled = true;
    button.textContent = busy;
    try {
      await run();
    } catch (err) {
      error.textContent = errorText(err);
    } finally {
      button.disabled = false;
      button.textContent = label;
    }
  });
  return h('span', { class: 'action' }, button, error);
}

/**
 * A field of a form dialog. `money` is yuan with up to two decimals, answered in integer fen.
 * @typedef {{ name: string, label: string, type?: 'text' | 'textarea' | 'number' | 'money' | 'date' | 'datetime' | 'select' | 'checkbox',
 *   options?: { value: string, label: string }[], required?: boolean, value?: string | number | boolean, hint?: string,
 *   min?: number, max?: number, maxLength?: number }} Field
 */
/** @typedef {Record<string, string | number | boolean | undefined>} FormValues */

/** @param {Field} field */
function input(field) {
  const common = { name: field.name, required: field.required === true, 'aria-label': field.label };
  const value = field.value === undefined ? undefined : String(field.value);
  switch (field.type) {
    case 'textarea':
      return h('textarea', { ...common, rows: 4, maxlength: field.maxLength ?? 8000 }, value ?? '');
    case 'select':
      return h(
        'select',
        common,
        (field.options ?? []).map((o) => h('option', { value: o.value, selected: o.value === value }, o.label)),
      );
    case 'checkbox':
      return h('input', { ...common, type: 'checkbox', checked: field.value === true });
    case 'number':
      return h('input', { ...common, type: 'number', step: 'any', min: field.min, max: field.max, value });
    case 'money':
      return h('input', { ...common, type: 'number', step: '0.01', min: 0, inputmode: 'decimal', value });
    case 'date':
      return h('input', { ...common, type: 'date', value });
    case 'datetime':
      return h('input', { ...common, type: 'datetime-local', value });
    default:
      return h('input', { ...common, type: 'text', maxlength: field.maxLength ?? 500, value });
  }
}

/**
 * Reads the dialog's inputs: empty optional fields are left out; numbers are numbers, money
 * is integer fen (the backend keeps fen), checkboxes are booleans.
 * @param {HTMLFormElement} form
 * @param {Field[]} fields
 * @returns {FormValues}
 */
function readValues(form, fields) {
  /** @type {FormValues} */
  const values = {};
  for (const field of fields) {
    const el = /** @type {HTMLInputElement} */ (form.elements.namedItem(field.name));
    if (field.type === 'checkbox') values[field.name] = el.checked;
    else if (el.value.trim() === '') values[field.name] = undefined;
    else if (field.type === 'number') values[field.name] = Number(el.value);
    else if (field.type === 'money') values[field.name] = Math.round(Number(el.value) * 100);
    else if (field.type === 'datetime') values[field.name] = fromDateTimeInput(el.value);
    else values[field.name] = el.value.trim();
  }
  return values;
}

/**
 * A modal form of any content: `onSubmit` reads the form it is given and acts; while it runs
 * the submit button is disabled, and if it fails the failure is shown in words and the dialog
 * stays open with everything typed kept. Answers what `onSubmit` answered, or null when the
 * user cancelled. `formDialog` is this with its content made from field descriptions.
 * @template T
 * @param {{ title: string, content: Child[], submit: string, danger?: boolean,
 *   onSubmit: (form: HTMLFormElement) => Promise<T> }} spec
 * @returns {Promise<T | null>}
 */
export function modalForm({ title, content, submit, danger = false, onSubmit }) {
  const error = h('p', { class: 'error', role: 'alert' });
  const submitButton = h('button', { type: 'submit', class: danger ? 'danger' : undefined }, submit);
  const cancel = h('button', { type: 'button', class: 'secondary' }, t('common.cancel'));
  const form = /** @type {HTMLFormElement} */ (
    h(
      'form',
      { method: 'dialog', class: 'dialog-form' },
      h('h2', {}, title),
      ...content,
      error,
      h('div', { class: 'dialog-buttons' }, cancel, submitButton),
    )
  );
  const dialog = h('dialog', { class: 'dialog' }, form);
  document.body.append(dialog);
  return new Promise((resolve) => {
    /** @param {T | null} answer */
    const close = (answer) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    cancel.addEventListener('click', () => close(null));
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      close(null);
    });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      error.textContent = '';
      submitButton.disabled = true;
      try {
        close(await onSubmit(form));
      } catch (err) {
        error.textContent = errorText(err);
      } finally {
        submitButton.disabled = false;
      }
    });
    dialog.showModal();
  });
}

/**
 * A modal form of fields. `onSubmit` runs with the values; while it runs the form is disabled,
 * and if it fails the failure is shown in words and the dialog stays open with everything typed
 * kept. Answers what `onSubmit` answered, or null when the user cancelled.
 * @template T
 * @param {{ title: string, intro?: Child | Child[], fields: Field[], submit: string, danger?: boolean,
 *   onSubmit: (values: FormValues) => Promise<T> }} spec
 * @returns {Promise<T | null>}
 */
export function formDialog({ title, intro, fields, submit, danger = false, onSubmit }) {
  const content = [
    intro ? h('div', { class: 'dialog-intro' }, intro) : null,
    ...fields.map((field) =>
      h(
        'label',
        { class: field.type === 'checkbox' ? 'check' : undefined },
        h('span', {}, field.label, field.required ? null : h('span', { class: 'muted' }, ` ${t('common.optional')}`)),
        input(field),
        field.hint ? h('small', { class: 'muted' }, field.hint) : null,
      ),
    ),
  ];
  return modalForm({ title, content, submit, danger, onSubmit: (form) => onSubmit(readValues(form, fields)) });
}

/**
 * Asks before something that cannot be taken back (a reboot, a parameter change); answers
 * whether the user confirmed. `body` says exactly what will happen.
 * @param {{ title: string, body: Child | Child[], confirm: string }} spec
 */
export async function confirmDialog({ title, body, confirm }) {
  const answer = await formDialog({ title, intro: body, fields: [], submit: confirm, danger: true, onSubmit: async () => true });
  return answer === true;
}

/**
 * A list the server pages: shows the first page, then "Load more" while the server answers a
 * next cursor. `reset` starts again from the first page (a filter changed, or a live event).
 * @template T
 * @param {{ fetchPage: (cursor: string | null) => Promise<{ items: T[], next: string | null }>,
 *   render: (items: T[]) => Child, empty: string }} spec
 */
export function pagedList({ fetchPage, render, empty }) {
  const list = h('div', { class: 'paged' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, t('common.loadMore'));
  const status = h('p', { class: 'muted' }, t('common.loading'));
  const el = h('div', {}, list, status, more);
  /** @type {string | null} */
  let next = null;
  let generation = 0;

  /** @param {boolean} first */
  async function load(first) {
    const mine = first ? ++generation : generation;
    more.disabled = true;
    status.hidden = false;
    status.className = 'muted';
    status.textContent = t('common.loading');
    try {
      const page = await fetchPage(first ? null : next);
      if (mine !== generation) return;
      if (first) list.replaceChildren();
      if (page.items.length > 0) list.append(h('div', {}, render(page.items)));
      next = page.next;
      more.hidden = next === null;
      status.hidden = !(first && page.items.length === 0);
      status.textContent = empty;
    } catch (err) {
      if (mine !== generation) return;
      status.className = 'error';
      status.textContent = t('common.couldNotLoad', { reason: errorText(err) });
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener('click', () => void load(false));
  return { el, reset: () => load(true) };
}

const DAY_MS = 86_400_000;
/**
 * How long until a deadline, in words, and whether it has passed: "3 d 4 h left", "2 h overdue".
 * @param {number} dueAt epoch ms
 * @param {number} now epoch ms
 */
export function countdown(dueAt, now) {
  const left = dueAt - now;
  const abs = Math.abs(left);
  const days = Math.floor(abs / DAY_MS);
  const hours = Math.floor((abs % DAY_MS) / 3_600_000);
  const minutes = Math.floor((abs % 3_600_000) / 60_000);
  const span =
    days > 0
      ? t('common.span.daysHours', { days, hours })
      : hours > 0
        ? t('common.span.hoursMinutes', { hours, minutes })
        : t('common.span.minutes', { minutes });
  return { text: t(left >= 0 ? 'common.countdown.left' : 'common.countdown.overdue', { span }), overdue: left < 0 };
}

/**
 * A countdown to `dueAt` that stays current while on the page (see `tickCountdowns`), red once
 * overdue.
 * @param {number} dueAt
 */
export function liveCountdown(dueAt) {
  const el = h('span', { class: 'countdown', 'data-due': dueAt });
  paintCountdown(el, dueAt);
  return el;
}

/** @param {HTMLElement} el @param {number} dueAt */
function paintCountdown(el, dueAt) {
  const c = countdown(dueAt, Date.now());
  el.textContent = c.text;
  el.classList.toggle('overdue', c.overdue);
}

// A minute is the countdowns' finest unit.
const COUNTDOWN_TICK_MS = 30_000;
/**
 * Keeps the live countdowns inside `root` current while `root` is on the page; the timer ends
 * with it. One call per page root, after its first render.
 * @param {HTMLElement} root
 */
export function tickCountdowns(root) {
  const timer = setInterval(() => {
    if (!root.isConnected) return clearInterval(timer);
    for (const el of root.querySelectorAll('[data-due]')) paintCountdown(/** @type {HTMLElement} */ (el), Number(el.getAttribute('data-due')));
  }, COUNTDOWN_TICK_MS);
}

/** yuan from integer fen: ¥1,200.00 (i18n.js formatMoney) @param {number} fen */
export function yuan(fen) {
  return formatMoney(fen);
}

/**
 * A read-only text to hand on (a link, a secret, a command line) with its Copy button: put on
 * the clipboard where the browser allows it, otherwise (plain http on another host) selected in
 * its field for Ctrl+C. `row` holds the field and the button; `status` says what happened.
 * @param {{ value: string, label: string, inputId?: string, buttonId?: string, statusId?: string, testId?: string }} options
 * @returns {{ row: HTMLElement, input: HTMLInputElement, status: HTMLElement }}
 */
export function copyableText({ value, label, inputId, buttonId, statusId, testId }) {
  const input = /** @type {HTMLInputElement} */ (
    h('input', { type: 'text', readonly: true, value, class: 'link-url', 'aria-label': label, id: inputId, 'data-testid': testId })
  );
  const status = h('span', { class: 'muted', role: 'status', id: statusId });
  const button = h('button', { type: 'button', class: 'secondary', id: buttonId }, t('common.copy'));
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(value);
      status.textContent = t('common.copied');
    } catch {
      input.focus();
      input.select();
      status.textContent = t('common.copyManually');
    }
  });
  return { row: h('div', { class: 'link-row' }, input, button), input, status };
}
