import { api, ApiError, apiPage } from '../api.js';
import { badge, h, table, when } from '../dom.js';
import { actionButton, confirmDialog, copyableText, formDialog, pagedList } from '../ui.js';

/** @typedef {import('../api.js').WebhookView} WebhookView */
/** @typedef {import('../api.js').WebhookSaved} WebhookSaved */
/** @typedef {import('../api.js').DeliveryView} DeliveryView */

const DELIVERY_PAGE = 20;

/**
 * What each notification is about, in the customer's words (the API's `kind`).
 * @type {Record<import('../api.js').NotificationView['kind'], string>}
 */
export const NOTIFICATION_KIND_WORDS = {
  'cost-to-confirm': 'Repair cost to confirm',
  'payment-due': 'Payment due',
  'box-shipped-back': 'Box on its way back',
  'feedback-reminder': 'Fix to confirm',
};

/** @param {string} kind */
const kindWords = (kind) => NOTIFICATION_KIND_WORDS[/** @type {keyof typeof NOTIFICATION_KIND_WORDS} */ (kind)] ?? 'Notification';

/** A delivery's state in words, for the log. @param {DeliveryView} d */
function deliveryState(d) {
  if (d.state === 'delivered') return badge('Delivered', 'ok');
  if (d.state === 'failed') return badge('Gave up', 'bad');
  return badge(d.attempts === 0 ? 'Waiting to be sent' : 'Will try again', 'warn');
}

/** What the receiver answered last, in words. @param {DeliveryView} d */
function lastAnswer(d) {
  if (d.attempts === 0) return 'Not sent yet';
  const status = d.lastStatus === null ? 'No answer' : `Answered ${d.lastStatus}`;
  return d.lastError ? `${status}: ${d.lastError}` : status;
}

/**
 * The secret, shown once with a copy button: it is never shown again.
 * @param {string} secret
 */
function secretBox(secret) {
  const { row, status } = copyableText({ value: secret, label: 'Signing secret', testId: 'webhook-secret' });
  return h(
    'div',
    { class: 'link-box webhook-secret' },
    h('strong', {}, 'Signing secret — shown only now'),
    row,
    status,
    h('p', { class: 'muted' }, 'Store it with the receiving system: it checks each request’s X-MTBox-Signature with it. If it is lost, rotate it.'),
  );
}

/**
 * An organisation's webhook: its URL and whether it is on, the signing secret (shown once,
 * when created or rotated) and the delivery log with retry. The portal passes
 * `/portal/webhook`; the staff organisation page `/organisations/<id>/webhook` with `canEdit`
 * from the account's permissions (the server still decides).
 * @param {HTMLElement} container
 * @param {{ base: string, canEdit: boolean }} options
 * @returns {() => Promise<void>} loads (and reloads) the panel
 */
export function webhookPanel(container, { base, canEdit }) {
  const settings = h('div', { class: 'webhook-settings' }, h('p', { class: 'muted' }, 'Loading…'));
  const secretSlot = h('div', {});
  const log = pagedList({
    empty: 'Nothing has been sent to the webhook yet.',
    async fetchPage(cursor) {
      const { data, next } = await apiPage(`${base}/deliveries?limit=${DELIVERY_PAGE}`, cursor);
      return { items: /** @type {import('../api.js').DeliveryList} */ (data).deliveries, next };
    },
    render: (items) =>
      table(
        ['Sent', 'Notification', 'State', 'Attempts', 'Last answer', 'Next try', ''],
        items.map((d) => [
          when(d.createdAt),
          kindWords(d.kind),
          deliveryState(d),
          String(d.attempts),
          h('span', { class: 'webhook-answer' }, lastAnswer(d)),
          d.nextAttemptAt === null ? '—' : when(d.nextAttemptAt),
          canEdit && d.state !== 'delivered'
            ? actionButton('Try again now', async () => {
                await api(`${base}/deliveries/${d.id}/retry`, { method: 'POST' });
                await log.reset();
              })
            : null,
        ]),
      ),
  });

  /** @param {WebhookSaved} saved */
  function showSecret(saved) {
    secretSlot.replaceChildren(saved.secret ? secretBox(saved.secret) : '');
  }

  /** @param {WebhookView | null} current */
  async function edit(current) {
    const saved = await formDialog({
      title: current ? 'Change the webhook' : 'Set up a webhook',
      intro: h('p', { class: 'muted' }, 'Each notification is sent to this address as a signed POST request (JSON).'),
      fields: [
        { name: 'url', label: 'Address (https://…)', required: true, maxLength: 2000, value: current?.url ?? '' },
        { name: 'enabled', label: 'Send notifications to it', type: 'checkbox', value: current?.enabled ?? true },
      ],
      submit: 'Save',
      onSubmit: async (values) => /** @type {WebhookSaved} */ (await api(base, { method: 'PUT', body: values })),
    });
    if (saved) {
      await load();
      showSecret(saved);
    }
  }

  /** @param {WebhookView | null} hook */
  function renderSettings(hook) {
    if (!hook) {
      settings.replaceChildren(
        h('p', { class: 'empty' }, 'No webhook is set up: notifications are shown here in the portal only.'),
        ...(canEdit ? [actionButton('Set up a webhook', () => edit(null))] : []),
      );
      return;
    }
    settings.replaceChildren(
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'Address'),
        h('dd', { class: 'webhook-url' }, hook.url),
        h('dt', {}, 'Sending'),
        h('dd', {}, hook.enabled ? badge('On', 'ok') : badge('Off')),
        h('dt', {}, 'Changed'),
        h('dd', {}, when(hook.updatedAt)),
      ),
      ...(canEdit
        ? [
            h(
              'div',
              { class: 'webhook-buttons' },
              actionButton('Change', () => edit(hook), { tone: 'secondary' }),
              actionButton(
                'Rotate the secret',
                async () => {
                  const ok = await confirmDialog({
                    title: 'Rotate the signing secret?',
                    body: h('p', {}, 'The old secret stops working at once: the receiving system needs the new one to check what is sent.'),
                    confirm: 'Rotate',
                  });
                  if (ok) showSecret(/** @type {WebhookSaved} */ (await api(`${base}/rotate-secret`, { method: 'POST' })));
                },
                { tone: 'secondary' },
              ),
              actionButton(
                'Remove',
                async () => {
                  const ok = await confirmDialog({
                    title: 'Remove the webhook?',
                    body: h('p', {}, 'Nothing more is sent to it; what is waiting to be sent is given up.'),
                    confirm: 'Remove',
                  });
                  if (ok) {
                    await api(base, { method: 'DELETE' });
                    secretSlot.replaceChildren();
                    await load();
                  }
                },
                { tone: 'danger' },
              ),
            ),
          ]
        : []),
    );
  }

  async function load() {
    try {
      renderSettings(/** @type {WebhookView} */ (await api(base)));
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'WEBHOOK_NOT_FOUND')) throw err;
      renderSettings(null);
    }
    await log.reset();
  }

  container.append(
    h('section', { class: 'card webhook-panel' }, h('h2', {}, 'Webhook'), settings, secretSlot),
    h('section', { class: 'card' }, h('h2', {}, 'Delivery log'), log.el),
  );
  return load;
}
