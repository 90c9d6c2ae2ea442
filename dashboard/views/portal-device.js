import { api } from '../api.js';
import { data, h, tNodes } from '../dom.js';
import { formatCalendarDate, t } from '../i18n.js';
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
    // The reasons are worded by the server, in the language api.js asks for (Accept-Language).
    h(
      'ul',
      { class: 'portal-reasons' },
      w.reasons.map((r) => h('li', {}, r)),
    ),
    w.partWarranties.length > 0
      ? h(
          'ul',
          { class: 'portal-parts' },
          w.partWarranties.map((p) =>
            h(
              'li',
              {},
              tNodes(p.inWarranty ? 'portal.device.partWarrantyUntil' : 'portal.device.partWarrantyEnded', {
                part: data(p.part),
                repairedOn: formatCalendarDate(p.repairedOn),
                end: formatCalendarDate(p.end),
              }),
            ),
          ),
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
    title: t('portal.request.title', { serial: d.serial }),
    intro: h(
      'p',
      { class: 'muted' },
      tNodes('portal.request.intro', { model: data(d.model), serial: data(d.serial), count: f.previousRepairs ?? 0 }),
    ),
    fields: [
      { name: 'faultPhenomenon', label: t('portal.request.fault'), type: 'textarea', required: true, maxLength: 4000 },
      { name: 'customerName', label: t('portal.request.company'), value: f.customerName ?? '', maxLength: 200 },
      { name: 'contacts', label: t('portal.request.contact'), value: f.contacts ?? '', maxLength: 200 },
      { name: 'contactNumber', label: t('portal.request.phone'), value: f.contactNumber ?? '', maxLength: 64 },
      { name: 'mailingAddress', label: t('portal.request.address'), value: f.mailingAddress ?? '', maxLength: 500 },
      {
        name: 'inWarranty',
        label: t('portal.request.inWarranty'),
        type: 'select',
        value: f.inWarranty === true ? 'yes' : f.inWarranty === false ? 'no' : 'unsure',
        options: [
          { value: 'yes', label: t('portal.request.yes') },
          { value: 'no', label: t('portal.request.no') },
          { value: 'unsure', label: t('portal.request.unsure') },
        ],
      },
      { name: 'suggestions', label: t('portal.request.suggestions'), type: 'textarea', maxLength: 4000 },
    ],
    submit: t('portal.request.submit'),
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
  get title() {
    return t('portal.device.title');
  },
  channels: /** @type {const} */ ([]),
  /**
   * @param {HTMLElement} container
   * @param {string[]} params
   */
  mount(container, [serial]) {
    const sn = /** @type {string} */ (serial);
    const box = section(t('portal.device.heading', { serial: sn }));
    const repairs = section(t('portal.device.repairs'));
    container.append(h('div', { class: 'portal-page' }, h('p', {}, h('a', { href: '#/portal' }, t('portal.device.back'))), box.el, repairs.el));
    return async () => {
      try {
        const d = /** @type {PortalDeviceDetail} */ (await api(`/portal/devices/${encodeURIComponent(sn)}`));
        box.show([
          h(
            'dl',
            { class: 'portal-facts' },
            h('dt', {}, t('portal.device.model')),
            h('dd', {}, data(d.model)),
            h('dt', {}, t('portal.device.firmware')),
            h('dd', {}, d.firmware === null ? t('portal.device.notReported') : data(d.firmware)),
            h('dt', {}, t('portal.device.received')),
            h('dd', {}, d.receiptDate === null ? t('portal.device.notRecorded') : formatCalendarDate(d.receiptDate)),
            h('dt', {}, t('portal.device.connection')),
            h('dd', {}, presenceLine(d.presence)),
          ),
          h('h3', {}, t('portal.device.warranty')),
          warrantyBlock(d),
        ]);
        repairs.show([
          d.openTicketId === null
            ? actionButton(t('portal.device.requestRepair'), () => requestRepair(d), { testId: 'request-repair' })
            : h('p', {}, h('a', { href: `#/portal/tickets/${d.openTicketId}` }, t('portal.device.requestInProgress', { id: d.openTicketId }))),
          portalTicketList(d.tickets, t('portal.device.noRequests')),
        ]);
      } catch (err) {
        box.fail(err);
        repairs.fail(err);
      }
    };
  },
};
