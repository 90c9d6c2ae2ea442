import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { modalForm } from '../ui.js';
import { businessLineOptions } from './business-lines.js';

/** @typedef {import('../api.js').OrganisationDetail} OrganisationDetail */
/** @typedef {OrganisationDetail['contacts'][number]} Contact */

const MAX_CONTACTS = 20;

/** One contact's inputs, with a button that removes the row. @param {Partial<Contact>} contact @param {number} n */
function contactRow(contact, n) {
  /** @param {keyof Contact} name @param {string} label @param {number} max @param {string} [type] */
  const field = (name, label, max, type = 'text') =>
    h(
      'label',
      {},
      h('span', {}, label),
      h('input', { name, type, maxlength: max, value: contact[name] ?? '', 'aria-label': t('orgs.edit.fieldN', { label, n }) }),
    );
  const row = h(
    'fieldset',
    { class: 'contact-row' },
    h('legend', {}, t('orgs.edit.contactN', { n })),
    field('name', t('orgs.field.name'), 200),
    field('phone', t('orgs.edit.phone'), 64),
    field('email', t('orgs.edit.email'), 254, 'email'),
    field('address', t('orgs.edit.address'), 500),
  );
  const remove = h('button', { type: 'button', class: 'secondary contact-remove' }, t('orgs.edit.removeContact', { n }));
  remove.addEventListener('click', () => row.remove());
  row.append(remove);
  return row;
}

/**
 * The contacts typed in the rows; a row without a name is left out (the API requires one),
 * so clearing a row's name removes it too.
 * @param {HTMLElement} rows
 * @returns {Contact[]}
 */
function readContacts(rows) {
  return [...rows.querySelectorAll('fieldset')].flatMap((row) => {
    /** @param {string} name */
    const value = (name) => /** @type {HTMLInputElement} */ (row.querySelector(`input[name="${name}"]`)).value.trim();
    if (!value('name')) return [];
    /** @type {Contact} */
    const contact = { name: value('name') };
    for (const key of /** @type {const} */ (['phone', 'email', 'address'])) if (value(key)) contact[key] = value(key);
    return [contact];
  });
}

/**
 * Edits an organisation's name, business line and contacts (rows added and removed in place).
 * Answers the organisation as saved, or null when cancelled; a refusal is shown in words and
 * the dialog stays open with everything typed kept.
 * @param {OrganisationDetail} o
 * @returns {Promise<import('../api.js').OrganisationView | null>}
 */
export function editOrganisation(o) {
  const name = h('input', { name: 'name', required: true, maxlength: 200, value: o.name, 'aria-label': t('orgs.field.name') });
  const line = h(
    'select',
    { name: 'businessLine', 'aria-label': t('orgs.field.businessLine') },
    businessLineOptions().map(({ value, label }) => h('option', { value, selected: value === (o.businessLine ?? '') }, label)),
  );
  const rows = h('div', { class: 'contact-rows' });
  let numbered = 0;
  const addRow = (/** @type {Partial<Contact>} */ contact) => rows.append(contactRow(contact, ++numbered));
  for (const c of o.contacts) addRow(c);
  const add = h('button', { type: 'button', class: 'secondary', id: 'add-contact' }, t('orgs.edit.addContact'));
  add.addEventListener('click', () => {
    if (rows.childElementCount < MAX_CONTACTS) addRow({});
  });
  return modalForm({
    title: t('orgs.edit.title'),
    content: [
      h('label', {}, h('span', {}, t('orgs.field.name')), name),
      h('label', {}, h('span', {}, t('orgs.field.businessLine')), line),
      rows,
      add,
    ],
    submit: t('common.save'),
    async onSubmit() {
      const body = { name: name.value.trim(), businessLine: line.value || null, contacts: readContacts(rows) };
      return /** @type {import('../api.js').OrganisationView} */ (await api(`/organisations/${o.id}`, { method: 'PATCH', body }));
    },
  });
}
