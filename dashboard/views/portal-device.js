import { api } from '../api.js';
import { h } from '../dom.js';
import { actionButton, formDialog, section } from '../ui.js';
import { portalTicketList } from './portal-tickets.js';
import { presenceLine, warrantyLine } from './portal-words.js';

/** @typedef {import('../api.js').PortalDeviceDetail} PortalDeviceDetail */

/**
 * The box's warranty with its reasons, and each repaired part's own warranty.
 * @param {PortalDeviceDetail} d
 */
function warrantyBlock(d) {
  const w = d.warranty;
  return h(
    'div',
    { class: 'portal-warranty' },
    h('p', {}, warrantyLine(w)),
    h(
      'ul',
      { class: 'portal-reasons' },
      w.reasons.map((r) => h('li', {}, r)),
    ),
    w.partWarranties.length > 0
      ? h(
          'ul',
          { class: 'portal-parts' },
          w.partWarranties.map((p) => h('li', {}, `${p.part}: repaired ${p.repairedOn}, own warranty ${p.inWarranty ? 'until' : 'ended'} ${p.end}`)),
        )
      : null,
  );
}

/**
 * Seed, Service Registration Form: pre-filled from the box and the organisation; the customer
 * checks it and describes the fault.
 * @param {PortalDeviceDetail} d
 */
async function requestRepair(d) {
  const f = d.registrationForm;
  const opened = await formDialog({
    title: `Request a repair of ${d.serial}`,
    intro: h('p', { class: 'muted' }, `Service Registration Form · ${d.model} · serial ${d.serial} · previous repairs: ${f.previousRepairs ?? 0}`),
    fields: [
      { name: 'faultPhenomenon', label: 'What goes wrong (fault phenomenon)', type: 'textarea', required: true, maxLength: 4000 },
      { name: 'customerName', label: 'Company', value: f.customerName ?? '', maxLength: 200 },
      { name: 'contacts', label: 'Contact person', value: f.contacts ?? '', maxLength: 200 },
      { name: 'contactNumber', label: 'Phone', value: f.contactNumber ?? '', maxLength: 64 },
      { name: 'mailingAddress', label: 'Address for returning the box', value: f.mailingAddress ?? '', maxLength: 500 },
      {
        name: 'inWarranty',
        label: 'Do you believe the box is in warranty?',
        type: 'select',
        value: f.inWarranty === true ? 'yes' : f.inWarranty === false ? 'no' : 'unsure',
        options: [
          { value: 'yes', label: 'Yes' },
          { value: 'no', label: 'No' },
          { value: 'unsure', label: 'Not sure' },
        ],
      },
      { name: 'suggestions', label: 'Anything else we should know', type: 'textarea', maxLength: 4000 },
    ],
    submit: 'Send the request',
    async onSubmit(v) {
      const { inWarranty, ...rest } = v;
      const form = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
      const belief = inWarranty === 'yes' ? true : inWarranty === 'no' ? false : null;
      return /** @type {import('../api.js').PortalTicket} */ (
        await api('/portal/tickets', { method: 'POST', body: { serial: d.serial, form: { ...form, inWarranty: belief } } })
      );
    },
  });
  if (opened) location.hash = `#/portal/tickets/${opened.id}`;
}

/** One of the customer's boxes: presence, warranty with reasons, its repair requests, and a new one. */
export const portalDeviceView = {
  title: 'Box',
  channels: /** @type {const} */ ([]),
  /**
   * @param {HTMLElement} container
   * @param {string[]} params
   */
  mount(container, [serial]) {
    const sn = /** @type {string} */ (serial);
    const box = section(`Box ${sn}`);
    const repairs = section('Repair requests');
    container.append(h('div', { class: 'portal-page' }, h('p', {}, h('a', { href: '#/portal' }, '← My boxes')), box.el, repairs.el));
    return async () => {
      try {
        const d = /** @type {PortalDeviceDetail} */ (await api(`/portal/devices/${encodeURIComponent(sn)}`));
        box.show([
          h(
            'dl',
            { class: 'portal-facts' },
            h('dt', {}, 'Model'),
            h('dd', {}, d.model),
            h('dt', {}, 'Firmware'),
            h('dd', {}, d.firmware ?? 'not reported'),
            h('dt', {}, 'Received'),
            h('dd', {}, d.receiptDate ?? 'not recorded'),
            h('dt', {}, 'Connection'),
            h('dd', {}, presenceLine(d.presence)),
          ),
          h('h3', {}, 'Warranty'),
          warrantyBlock(d),
        ]);
        repairs.show([
          d.openTicketId === null
            ? actionButton('Request a repair', () => requestRepair(d), { testId: 'request-repair' })
            : h('p', {}, h('a', { href: `#/portal/tickets/${d.openTicketId}` }, `Repair request #${d.openTicketId} is in progress`)),
          portalTicketList(d.tickets, 'No repair requests for this box yet.'),
        ]);
      } catch (err) {
        box.fail(err);
        repairs.fail(err);
      }
    };
  },
};
