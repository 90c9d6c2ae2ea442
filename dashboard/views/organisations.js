import { api, apiPage } from '../api.js';
import { signedInUser } from '../app.js';
import { h, table } from '../dom.js';
import { formDialog, pagedList } from '../ui.js';
import { BUSINESS_LINE_WORDS } from './fleet-register.js';

/** @typedef {import('../api.js').OrganisationView} OrganisationView */
/** @typedef {import('../api.js').OrganisationList} OrganisationList */

const PAGE_SIZE = 50;
const BUSINESS_LINES = [{ value: '', label: '—' }, ...Object.entries(BUSINESS_LINE_WORDS).map(([value, label]) => ({ value, label }))];

/** @param {number} id */
export const organisationHref = (id) => `#/organisations/${id}`;

/** A business line in words, or a dash. @param {OrganisationView['businessLine']} line */
export function businessLineWords(line) {
  return line ? BUSINESS_LINE_WORDS[line] : '—';
}

/** @param {number} n */
export function boxCount(n) {
  return n === 1 ? '1 box' : `${n} boxes`;
}

/** Records a customer organisation, then opens its page. */
async function newOrganisation() {
  const created = await formDialog({
    title: 'New customer',
    intro: 'The plant or company that owns boxes. Its people are invited from its page.',
    submit: 'Record the customer',
    fields: [
      { name: 'name', label: 'Name', required: true, maxLength: 200 },
      { name: 'businessLine', label: 'Business line', type: 'select', options: BUSINESS_LINES },
      { name: 'contactName', label: 'Contact person', maxLength: 200 },
      { name: 'contactPhone', label: 'Contact phone', maxLength: 64 },
      { name: 'contactEmail', label: 'Contact e-mail', maxLength: 254 },
    ],
    onSubmit: async (v) => {
      const contact = v.contactName ? { name: v.contactName, phone: v.contactPhone, email: v.contactEmail } : null;
      const body = { name: v.name, businessLine: v.businessLine ?? null, contacts: contact ? [contact] : [] };
      return /** @type {OrganisationView} */ (await api('/organisations', { method: 'POST', body }));
    },
  });
  if (created) location.hash = organisationHref(created.id);
}

/**
 * The customers after-sales looks after: searched by name, a page at a time, each linking to
 * its page; after-sales and admins may record a new one.
 * @type {import('../app.js').View}
 */
export const organisationsView = {
  title: 'Customers',
  channels: [],
  mount(container) {
    const canWrite = signedInUser().permissions.includes('organisations:write');
    const search = h('input', {
      type: 'search',
      id: 'organisation-search',
      placeholder: 'Search by name',
      'aria-label': 'Search customers by name',
      maxlength: 200,
    });
    const creator = canWrite ? h('button', { type: 'button', id: 'new-organisation' }, 'New customer') : null;
    const list = pagedList({
      async fetchPage(cursor) {
        const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
        if (search.value.trim()) query.set('q', search.value.trim());
        const { data, next } = await apiPage(`/organisations?${query}`, cursor);
        return { items: /** @type {OrganisationList} */ (data).organisations, next };
      },
      render: (items) =>
        table(
          ['Customer', 'Business line', 'Boxes', 'Contact'],
          items.map((o) => [
            h('a', { href: organisationHref(o.id), class: 'row-link' }, o.name),
            businessLineWords(o.businessLine),
            boxCount(o.deviceCount),
            o.contacts[0]?.name ?? '—',
          ]),
        ),
      empty: 'No customer matches. Record one with "New customer".',
    });
    creator?.addEventListener('click', () => void newOrganisation());
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let typing;
    search.addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(() => void list.reset(), 250);
    });
    container.append(h('div', { class: 'toolbar' }, h('h1', {}, 'Customers'), search, creator), h('section', { class: 'card' }, list.el));
    return () => list.reset();
  },
};
