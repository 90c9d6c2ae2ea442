import { h } from '../dom.js';
import { webhookPanel } from './webhook-panel.js';

/**
 * The customer's settings: the organisation's webhook, which forwards every notification to
 * a system of their own, with its delivery log.
 * @type {import('../app.js').View}
 */
export const portalSettingsView = {
  title: 'Settings',
  channels: [],
  mount(container) {
    container.append(
      h(
        'p',
        { class: 'muted portal-settings-intro' },
        'Your own systems or a messaging bot can receive what is shown under Notifications: give the address of a receiver below. Each request is signed with a secret, so the receiver can check it came from us.',
      ),
    );
    return webhookPanel(container, { base: '/portal/webhook', canEdit: true });
  },
};
