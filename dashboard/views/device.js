import { api, ApiError } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { section } from '../ui.js';
import { catalogTitles } from '../catalog.js';
import { backupsPanel } from './backups-panel.js';
import { metricsCard, presenceCard, registryCard } from './device-facts.js';
import { commandHistory, decisionHistory, eventHistory } from './device-history.js';
import { faultList } from './fault-history.js';
import { openSessionButton } from './session-open.js';
import { telemetryChart } from './telemetry-chart.js';
import { warrantyCard } from './warranty-card.js';

/** @typedef {import('../api.js').DeviceDetail} DeviceDetail */

// Live decisions about the box reload its histories at most this often.
const HISTORY_DELAY_MS = 300;

/**
 * One box for a support engineer: registry data, presence, latest metrics, warranty with its
 * reasons, the faults it reported named by the catalog, and a telemetry chart. Presence events
 * patch the presence card; a triage decision about the box (a new fault) reloads its faults.
 * @type {import('../app.js').View}
 */
export const deviceView = {
  get title() {
    return t('fleet.device.title');
  },
  channels: ['devices'],
  mount(container, [serial = '']) {
    const top = h('div', { class: 'device-cards' }, h('p', { class: 'muted' }, t('fleet.device.loading')));
    const warranty = section(t('fleet.device.warranty'));
    const faults = faultList(serial);
    const telemetry = section(t('fleet.device.telemetry'));
    const decisions = decisionHistory(serial, catalogTitles);
    const events = eventHistory(serial);
    const commands = commandHistory(serial);
    const backups = backupsPanel({ serial });
    // Named, so a reader's tools (and tests) can tell the page's parts apart.
    top.id = 'device-facts';
    faults.el.id = 'device-faults';
    telemetry.el.id = 'device-telemetry';
    decisions.el.id = 'device-decisions';
    events.el.id = 'device-events';
    commands.el.id = 'device-commands';
    container.append(
      h(
        'div',
        { class: 'toolbar' },
        h('a', { href: '#/fleet' }, t('fleet.device.back')),
        h('h1', { class: 'mono', id: 'device-serial', translate: 'no' }, serial),
        openSessionButton(serial),
      ),
      top,
      h('div', { class: 'device-cards' }, warranty.el, faults.el),
      telemetry.el,
      h('div', { class: 'device-cards' }, decisions.el, events.el),
      commands.el,
      backups.el,
    );
    const path = `/devices/${encodeURIComponent(serial)}`;
    /** @type {DeviceDetail | null} */
    let device = null;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let historyTimer;

    async function loadWarranty() {
      try {
        warranty.show(warrantyCard(/** @type {import('../api.js').WarrantyAnswer} */ (await api(`${path}/warranty`))));
      } catch (err) {
        warranty.fail(err);
      }
    }

    return {
      async refresh() {
        void loadWarranty();
        void faults.reset();
        void decisions.reset();
        void events.reset();
        void commands.reset();
        void backups.refresh();
        try {
          device = /** @type {DeviceDetail} */ (await api(path));
        } catch (err) {
          if (!(err instanceof ApiError && err.code === 'DEVICE_NOT_FOUND')) throw err;
          top.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('fleet.device.notFound', { serial })));
          telemetry.show(h('p', { class: 'empty' }, t('fleet.device.noBoxNoTelemetry')));
          return;
        }
        top.replaceChildren(registryCard(device), presenceCard(device.presence), metricsCard(device.metrics));
        const metrics = Object.keys(device.metrics.values).sort();
        telemetry.show(metrics.length === 0 ? h('p', { class: 'empty' }, t('fleet.device.noTelemetryYet')) : telemetryChart(serial, metrics));
      },
      onLive(event) {
        if (event.id !== serial) return true; // another box: nothing on this page changes
        if (event.type === 'triage.decided') {
          // A box in a fault storm sends many decisions a second: one reload per burst.
          clearTimeout(historyTimer);
          historyTimer = setTimeout(() => {
            void faults.reset();
            void decisions.reset();
            void events.reset();
          }, HISTORY_DELAY_MS);
          return true;
        }
        if ((event.type === 'device.online' || event.type === 'device.offline') && device) {
          const lastSeen = typeof event.data.lastSeen === 'number' ? event.data.lastSeen : event.at;
          device.presence = { ...device.presence, online: event.type === 'device.online', lastSeen };
          const card = top.querySelector('section[aria-labelledby="presence-title"]');
          card?.replaceWith(presenceCard(device.presence));
          return true;
        }
        return false;
      },
    };
  },
};
