import { api, apiPage } from '../api.js';
import { signedInUser } from '../app.js';
import { data, h, table } from '../dom.js';
import { t } from '../i18n.js';
import { formDialog, pagedList } from '../ui.js';
import { businessLineOptions, businessLineWords } from './business-lines.js';

/** @typedef {import('../api.js').OrganisationView} OrganisationView */
/** @typedef {import('../api.js').OrganisationList} OrganisationList */

const PAGE_SIZE = 50;

/** @param {number} id */
export const organisationHref = (id) => `#/organisations/${id}`;

/** @param {number} n */
export function boxCount(n) {
  return t('orgs.boxCount', { count: n });
}

/** Records a customer organisation, then opens its page. */
async function newOrganisation() {
  const created = await formDialog({
    title: t('orgs.new'),
    intro: t('orgs.new.intro'),
    submit: t('orgs.new.submit'),
    fields: [
      { name: 'name', label: t('orgs.field.name'), required: true, maxLength: 200 },
      { name: 'businessLine', label: t('orgs.field.businessLine'), type: 'select', options: businessLineOptions() },
      { name: 'contactName', label: t('orgs.field.contactName'), maxLength: 200 },
      { name: 'contactPhone', label: t('orgs.field.contactPhone'), maxLength: 64 },
      { name: 'contactEmail', label: t('orgs.field.contactEmail'), maxLength: 254 },
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
  get title() {
    return t('orgs.title');
  },
  channels: [],
  mount(container) {
    const canWrite = signedInUser().permissions.includes('organisations:write');
    const search = h('input', {
      type: 'search',
      id: 'organisation-search',
      placeholder: t('orgs.search.placeholder'),
      'aria-label': t('orgs.search.label'),
      maxlength: 200,
    });
    const creator = canWrite ? h('button', { type: 'button', id: 'new-organisation' }, t('orgs.new')) : null;
    const list = pagedList({
      async fetchPage(cursor) {
        const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
        if (search.value.trim()) query.set('q', search.value.trim());
        const { data, next } = await apiPage(`/organisations?${query}`, cursor);
        return { items: /** @type {OrganisationList} */ (data).organisations, next };
      },
      render: (items) =>
        table(
          [t('orgs.list.customer'), t('orgs.field.businessLine'), t('orgs.list.boxes'), t('orgs.list.contact')],
          items.map((o) => [
            h('a', { href: organisationHref(o.id), class: 'row-link', translate: 'no' }, o.name),
            businessLineWords(o.businessLine),
            boxCount(o.deviceCount),
            o.contacts[0] ? data(o.contacts[0].name) : '—',
          ]),
        ),
      empty: t('orgs.list.empty'),
    });
    creator?.addEventListener('click', () => void newOrganisation());
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let typing;
    search.addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(() => void list.reset(), 250);
    });
    container.append(h('div', { class: 'toolbar' }, h('h1', {}, t('orgs.title')), search, creator), h('section', { class: 'card' }, list.el));
    return () => list.reset();
  },
};
