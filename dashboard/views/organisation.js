import { api, ApiError } from '../api.js';
import { signedInUser } from '../app.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { actionButton, section } from '../ui.js';
import { organisationBoxes } from './organisation-boxes.js';
import { editOrganisation } from './organisation-edit.js';
import { inviteForm, peopleTables } from './organisation-people.js';
import { businessLineWords } from './business-lines.js';
import { boxCount } from './organisations.js';
import { webhookPanel } from './webhook-panel.js';

/** @typedef {import('../api.js').OrganisationDetail} OrganisationDetail */

/** An organisation's contacts, one line each. @param {OrganisationDetail['contacts']} contacts */
function contactLines(contacts) {
  if (contacts.length === 0) return h('p', { class: 'empty' }, t('orgs.noContact'));
  return h(
    'ul',
    { class: 'contact-list', translate: 'no' },
    contacts.map((c) => h('li', {}, [c.name, c.phone, c.email, c.address].filter(Boolean).join(' · '))),
  );
}

/** @param {OrganisationDetail} o */
function detailsFacts(o) {
  return [
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, t('orgs.field.businessLine')),
      h('dd', {}, businessLineWords(o.businessLine)),
      h('dt', {}, t('orgs.list.boxes')),
      h('dd', { id: 'organisation-box-count' }, boxCount(o.deviceCount)),
    ),
    h('h3', {}, t('orgs.contacts')),
    contactLines(o.contacts),
  ];
}

/**
 * One customer organisation for after-sales: its details and contacts (editable), its boxes
 * (link by serial, unlink), its people's accounts and pending invitations, and inviting one
 * more with a one-time URL. Engineers and technicians read it without the buttons.
 * @type {import('../app.js').View}
 */
export const organisationView = {
  get title() {
    return t('orgs.customer');
  },
  channels: [],
  mount(container, [idText = '']) {
    const id = Number(idText);
    const canWrite = signedInUser().permissions.includes('organisations:write');
    const heading = h('h1', { id: 'organisation-name' }, t('orgs.customer'));
    /** @type {OrganisationDetail | null} */
    let shown = null;
    const edit = canWrite
      ? actionButton(
          t('orgs.edit'),
          async () => {
            if (!shown) return;
            if (await editOrganisation(shown)) await refresh();
          },
          { tone: 'secondary', testId: 'edit-organisation' },
        )
      : null;
    const details = section(t('orgs.details'), edit);
    const people = section(t('orgs.people'));
    const boxes =
      Number.isInteger(id) && id > 0
        ? organisationBoxes({
            organisationId: id,
            organisationName: () => shown?.name ?? t('orgs.thisCustomer'),
            canWrite,
            onChange: () => void refresh(),
          })
        : null;
    const invite = canWrite ? inviteForm({ organisationId: id, onInvited: () => void refresh() }) : null;
    // The organisation's webhook and its delivery log, the same panel the customer sees.
    const webhookSpot = h('div', { id: 'organisation-webhook' });
    const loadWebhook =
      Number.isInteger(id) && id > 0 ? webhookPanel(webhookSpot, { base: `/organisations/${id}/webhook`, canEdit: canWrite }) : null;
    if (invite) people.el.append(invite);
    container.append(
      h('div', { class: 'toolbar' }, h('a', { href: '#/organisations' }, t('orgs.back')), heading),
      h('div', { class: 'organisation-cards' }, details.el, boxes?.el, people.el, webhookSpot),
    );

    async function refresh() {
      try {
        const o = /** @type {OrganisationDetail} */ (await api(`/organisations/${encodeURIComponent(idText)}`));
        shown = o;
        if (boxes) boxes.el.hidden = false;
        if (invite) invite.hidden = false;
        heading.textContent = o.name;
        // The customer's name as recorded, never translated.
        heading.translate = false;
        document.title = t('orgs.documentTitle', { name: o.name, brand: t('common.brand') });
        details.show(detailsFacts(o));
        people.show(peopleTables(o));
        await loadWebhook?.();
      } catch (err) {
        heading.textContent = t('orgs.customer');
        heading.translate = true;
        details.fail(err);
        people.fail(err);
        // A customer that does not exist has no boxes to list or people to invite.
        if (boxes) boxes.el.hidden = true;
        if (invite) invite.hidden = true;
        if (err instanceof ApiError && err.status === 401) throw err;
      }
    }
    return async () => {
      await Promise.all([refresh(), boxes?.reset()]);
    };
  },
};
