import { api, ApiError } from '../api.js';
import { signedInUser } from '../app.js';
import { h } from '../dom.js';
import { actionButton, section } from '../ui.js';
import { organisationBoxes } from './organisation-boxes.js';
import { editOrganisation } from './organisation-edit.js';
import { inviteForm, peopleTables } from './organisation-people.js';
import { boxCount, businessLineWords } from './organisations.js';
import { webhookPanel } from './webhook-panel.js';

/** @typedef {import('../api.js').OrganisationDetail} OrganisationDetail */

/** An organisation's contacts, one line each. @param {OrganisationDetail['contacts']} contacts */
function contactLines(contacts) {
  if (contacts.length === 0) return h('p', { class: 'empty' }, 'No contact recorded.');
  return h(
    'ul',
    { class: 'contact-list' },
    contacts.map((c) => h('li', {}, [c.name, c.phone, c.email, c.address].filter(Boolean).join(' · '))),
  );
}

/** @param {OrganisationDetail} o */
function detailsFacts(o) {
  return [
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Business line'),
      h('dd', {}, businessLineWords(o.businessLine)),
      h('dt', {}, 'Boxes'),
      h('dd', { id: 'organisation-box-count' }, boxCount(o.deviceCount)),
    ),
    h('h3', {}, 'Contacts'),
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
  title: 'Customer',
  channels: [],
  mount(container, [idText = '']) {
    const id = Number(idText);
    const canWrite = signedInUser().permissions.includes('organisations:write');
    const heading = h('h1', { id: 'organisation-name' }, 'Customer');
    /** @type {OrganisationDetail | null} */
    let shown = null;
    const edit = canWrite
      ? actionButton(
          'Edit',
          async () => {
            if (!shown) return;
            if (await editOrganisation(shown)) await refresh();
          },
          { tone: 'secondary', testId: 'edit-organisation' },
        )
      : null;
    const details = section('Details', edit);
    const people = section('People');
    const boxes =
      Number.isInteger(id) && id > 0
        ? organisationBoxes({ organisationId: id, organisationName: () => shown?.name ?? 'this customer', canWrite, onChange: () => void refresh() })
        : null;
    const invite = canWrite ? inviteForm({ organisationId: id, onInvited: () => void refresh() }) : null;
    // The organisation's webhook and its delivery log, the same panel the customer sees.
    const webhookSpot = h('div', { id: 'organisation-webhook' });
    const loadWebhook =
      Number.isInteger(id) && id > 0 ? webhookPanel(webhookSpot, { base: `/organisations/${id}/webhook`, canEdit: canWrite }) : null;
    if (invite) people.el.append(invite);
    container.append(
      h('div', { class: 'toolbar' }, h('a', { href: '#/organisations' }, '← Customers'), heading),
      h('div', { class: 'organisation-cards' }, details.el, boxes?.el, people.el, webhookSpot),
    );

    async function refresh() {
      try {
        const o = /** @type {OrganisationDetail} */ (await api(`/organisations/${encodeURIComponent(idText)}`));
        shown = o;
        if (boxes) boxes.el.hidden = false;
        if (invite) invite.hidden = false;
        heading.textContent = o.name;
        document.title = `${o.name} · Customer · MT-BOX Care`;
        details.show(detailsFacts(o));
        people.show(peopleTables(o));
        await loadWebhook?.();
      } catch (err) {
        heading.textContent = 'Customer';
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
