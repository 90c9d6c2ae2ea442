import { h } from '../dom.js';
import { t } from '../i18n.js';
import { webhookPanel } from './webhook-panel.js';

/**
 * The customer's settings: the organisation's webhook, which forwards every notification to
 * a system of their own, with its delivery log.
 * @type {import('../app.js').View}
 */
export const portalSettingsView = {
  get title() {
    return t('portal.settings.title');
  },
  channels: [],
  mount(container) {
    container.append(h('p', { class: 'muted portal-settings-intro' }, t('portal.settings.intro')));
    return webhookPanel(container, { base: '/portal/webhook', canEdit: true });
  },
};
