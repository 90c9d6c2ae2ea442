import { api, apiPage } from '../api.js';
import { h, table } from '../dom.js';
import { actionButton, confirmDialog, pagedList } from '../ui.js';
import { deviceHref, presence, warranty } from './fleet.js';

/** @typedef {import('../api.js').DeviceList} DeviceList */
/** @typedef {import('../api.js').DeviceAssignmentResult} DeviceAssignmentResult */

const PAGE_SIZE = 100;

/** Serials typed one per line or separated by commas or spaces, upper-cased, each once. @param {string} text */
export function serialsIn(text) {
  return [...new Set(text.split(/[\s,;]+/).map((s) => s.trim().toUpperCase()))].filter((s) => s !== '');
}

/** What a link request did, in a sentence or two. @param {DeviceAssignmentResult} result */
export function assignmentWords(result) {
  const linked = result.assigned === 1 ? 'Linked 1 box.' : `Linked ${result.assigned} boxes.`;
  if (result.unknown.length === 0) return linked;
  const which = result.unknown.join(', ');
  return `${linked} ${result.unknown.length === 1 ? 'This serial is' : 'These serials are'} not registered, so nothing was done for ${result.unknown.length === 1 ? 'it' : 'them'}: ${which}.`;
}

/**
 * The organisation's boxes, linked to their pages; after-sales may link more by serial and
 * unlink one (after confirming). `onChange` runs after either, e.g. to refresh the box count.
 * @param {{ organisationId: number, organisationName: () => string, canWrite: boolean, onChange: () => void }} spec
 */
export function organisationBoxes({ organisationId, organisationName, canWrite, onChange }) {
  const list = pagedList({
    async fetchPage(cursor) {
      const { data, next } = await apiPage(`/devices?organisationId=${organisationId}&limit=${PAGE_SIZE}`, cursor);
      return { items: /** @type {DeviceList} */ (data).devices, next };
    },
    render: (devices) =>
      table(
        canWrite ? ['Serial', 'Model', 'Online', 'Warranty', ''] : ['Serial', 'Model', 'Online', 'Warranty'],
        devices.map((d) => [
          h('a', { href: deviceHref(d.serial), class: 'mono row-link' }, d.serial),
          d.model,
          presence(d.presence),
          warranty(d.warranty),
          canWrite ? actionButton('Unlink', () => unlink(d.serial), { tone: 'secondary', busy: 'Unlinking…', testId: `unlink-${d.serial}` }) : null,
        ]),
      ),
    empty: 'No boxes belong to this customer yet.',
  });

  /** @param {string} serial */
  async function unlink(serial) {
    const sure = await confirmDialog({
      title: `Unlink ${serial}?`,
      body: `The box stays registered, but ${organisationName()}'s people no longer see it or its repairs in their portal.`,
      confirm: 'Unlink the box',
    });
    if (!sure) return;
    await api(`/organisations/${organisationId}/devices/${encodeURIComponent(serial)}`, { method: 'DELETE' });
    await list.reset();
    onChange();
  }

  const serials = h('textarea', {
    id: 'link-serials',
    rows: 3,
    maxlength: 20_000,
    'aria-label': 'Serials to link',
    placeholder: 'Serials, one per line or separated by commas',
  });
  const outcome = h('p', { id: 'link-outcome', role: 'status' });
  const linker = canWrite
    ? h(
        'div',
        { class: 'link-boxes' },
        serials,
        actionButton(
          'Link boxes',
          async () => {
            outcome.textContent = '';
            const wanted = serialsIn(serials.value);
            if (wanted.length === 0) {
              outcome.textContent = 'Type at least one serial.';
              return;
            }
            const result = /** @type {DeviceAssignmentResult} */ (
              await api(`/organisations/${organisationId}/devices`, { method: 'POST', body: { serials: wanted } })
            );
            outcome.textContent = assignmentWords(result);
            serials.value = result.unknown.join('\n');
            await list.reset();
            onChange();
          },
          { busy: 'Linking…', testId: 'link-boxes' },
        ),
        outcome,
      )
    : null;

  const el = h('section', { class: 'card', id: 'organisation-boxes' }, h('h2', {}, 'Boxes'), list.el, linker);
  return { el, reset: () => list.reset() };
}
