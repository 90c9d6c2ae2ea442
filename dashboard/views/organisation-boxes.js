import { api, apiPage } from '../api.js';
import { data, h, table, tNodes } from '../dom.js';
import { t } from '../i18n.js';
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
  const linked = t('orgs.boxes.linked', { count: result.assigned });
  if (result.unknown.length === 0) return linked;
  const unknown = t('orgs.boxes.unknown', { count: result.unknown.length, serials: result.unknown.join(', ') });
  return t('orgs.boxes.linkResult', { linked, unknown });
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
        [t('orgs.boxes.serial'), t('orgs.boxes.model'), t('orgs.boxes.online'), t('orgs.boxes.warranty'), ...(canWrite ? [''] : [])],
        devices.map((d) => [
          h('a', { href: deviceHref(d.serial), class: 'mono row-link' }, d.serial),
          data(d.model),
          presence(d.presence),
          warranty(d.warranty),
          canWrite
            ? actionButton(t('orgs.boxes.unlink'), () => unlink(d.serial), {
                tone: 'secondary',
                busy: t('orgs.boxes.unlinking'),
                testId: `unlink-${d.serial}`,
              })
            : null,
        ]),
      ),
    empty: t('orgs.boxes.empty'),
  });

  /** @param {string} serial */
  async function unlink(serial) {
    const sure = await confirmDialog({
      title: t('orgs.boxes.unlinkTitle', { serial }),
      body: h('p', {}, tNodes('orgs.boxes.unlinkBody', { name: data(organisationName()) })),
      confirm: t('orgs.boxes.unlinkConfirm'),
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
    'aria-label': t('orgs.boxes.serialsLabel'),
    placeholder: t('orgs.boxes.serialsPlaceholder'),
  });
  const outcome = h('p', { id: 'link-outcome', role: 'status' });
  const linker = canWrite
    ? h(
        'div',
        { class: 'link-boxes' },
        serials,
        actionButton(
          t('orgs.boxes.link'),
          async () => {
            outcome.textContent = '';
            const wanted = serialsIn(serials.value);
            if (wanted.length === 0) {
              outcome.textContent = t('orgs.boxes.typeOne');
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
          { busy: t('orgs.boxes.linking'), testId: 'link-boxes' },
        ),
        outcome,
      )
    : null;

  const el = h('section', { class: 'card', id: 'organisation-boxes' }, h('h2', {}, t('orgs.boxes.title')), list.el, linker);
  return { el, reset: () => list.reset() };
}
