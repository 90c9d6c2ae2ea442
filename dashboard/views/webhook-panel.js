import { api, ApiError, apiPage } from '../api.js';
import { badge, data, h, table, tNodes, when } from '../dom.js';
import { t } from '../i18n.js';
import { actionButton, confirmDialog, copyableText, formDialog, pagedList } from '../ui.js';
import { notificationKindWords } from '../words.js';

/** @typedef {import('../api.js').WebhookView} WebhookView */
/** @typedef {import('../api.js').WebhookSaved} WebhookSaved */
/** @typedef {import('../api.js').DeliveryView} DeliveryView */

const DELIVERY_PAGE = 20;

/** A delivery's state in words, for the log. @param {DeliveryView} d */
function deliveryState(d) {
  if (d.state === 'delivered') return badge(t('orgs.webhook.delivered'), 'ok');
  if (d.state === 'failed') return badge(t('orgs.webhook.gaveUp'), 'bad');
  return badge(d.attempts === 0 ? t('orgs.webhook.waiting') : t('orgs.webhook.willRetry'), 'warn');
}

/** What the receiver answered last, in words. @param {DeliveryView} d */
function lastAnswer(d) {
  if (d.attempts === 0) return [t('orgs.webhook.notSentYet')];
  const status = d.lastStatus === null ? t('orgs.webhook.noAnswer') : t('orgs.webhook.answered', { status: String(d.lastStatus) });
  // The receiver's or the network's error is shown as it came.
  return d.lastError ? tNodes('orgs.webhook.answerWithError', { status, error: data(d.lastError) }) : [status];
}

/**
 * The secret, shown once with a copy button: it is never shown again.
 * @param {string} secret
 */
function secretBox(secret) {
  const { row, status } = copyableText({ value: secret, label: t('orgs.webhook.secretLabel'), testId: 'webhook-secret' });
  return h(
    'div',
    { class: 'link-box webhook-secret' },
    h('strong', {}, t('orgs.webhook.secretOnce')),
    row,
    status,
    h('p', { class: 'muted' }, tNodes('orgs.webhook.secretHint', { header: data('X-MTBox-Signature') })),
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
  const settings = h('div', { class: 'webhook-settings' }, h('p', { class: 'muted' }, t('common.loading')));
  const secretSlot = h('div', {});
  const log = pagedList({
    empty: t('orgs.webhook.logEmpty'),
    async fetchPage(cursor) {
      const { data, next } = await apiPage(`${base}/deliveries?limit=${DELIVERY_PAGE}`, cursor);
      return { items: /** @type {import('../api.js').DeliveryList} */ (data).deliveries, next };
    },
    render: (items) =>
      table(
        [
          t('orgs.webhook.sent'),
          t('orgs.webhook.notification'),
          t('orgs.webhook.state'),
          t('orgs.webhook.attempts'),
          t('orgs.webhook.lastAnswer'),
          t('orgs.webhook.nextTry'),
          '',
        ],
        items.map((d) => [
          when(d.createdAt),
          notificationKindWords(d.kind),
          deliveryState(d),
          String(d.attempts),
          h('span', { class: 'webhook-answer' }, lastAnswer(d)),
          d.nextAttemptAt === null ? '—' : when(d.nextAttemptAt),
          canEdit && d.state !== 'delivered'
            ? actionButton(t('orgs.webhook.tryNow'), async () => {
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
      title: current ? t('orgs.webhook.change') : t('orgs.webhook.setUp'),
      intro: h('p', { class: 'muted' }, tNodes('orgs.webhook.intro', { method: data('POST') })),
      fields: [
        { name: 'url', label: t('orgs.webhook.address', { example: 'https://…' }), required: true, maxLength: 2000, value: current?.url ?? '' },
        { name: 'enabled', label: t('orgs.webhook.sendTo'), type: 'checkbox', value: current?.enabled ?? true },
      ],
      submit: t('common.save'),
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
        h('p', { class: 'empty' }, t('orgs.webhook.none')),
        ...(canEdit ? [actionButton(t('orgs.webhook.setUp'), () => edit(null))] : []),
      );
      return;
    }
    settings.replaceChildren(
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, t('orgs.webhook.addressLabel')),
        h('dd', { class: 'webhook-url', translate: 'no' }, hook.url),
        h('dt', {}, t('orgs.webhook.sending')),
        h('dd', {}, hook.enabled ? badge(t('orgs.webhook.on'), 'ok') : badge(t('orgs.webhook.off'))),
        h('dt', {}, t('orgs.webhook.changed')),
        h('dd', {}, when(hook.updatedAt)),
      ),
      ...(canEdit
        ? [
            h(
              'div',
              { class: 'webhook-buttons' },
              actionButton(t('orgs.webhook.changeButton'), () => edit(hook), { tone: 'secondary' }),
              actionButton(
                t('orgs.webhook.rotate'),
                async () => {
                  const ok = await confirmDialog({
                    title: t('orgs.webhook.rotateTitle'),
                    body: h('p', {}, t('orgs.webhook.rotateBody')),
                    confirm: t('orgs.webhook.rotateConfirm'),
                  });
                  if (ok) showSecret(/** @type {WebhookSaved} */ (await api(`${base}/rotate-secret`, { method: 'POST' })));
                },
                { tone: 'secondary' },
              ),
              actionButton(
                t('orgs.webhook.remove'),
                async () => {
                  const ok = await confirmDialog({
                    title: t('orgs.webhook.removeTitle'),
                    body: h('p', {}, t('orgs.webhook.removeBody')),
                    confirm: t('orgs.webhook.remove'),
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
    h('section', { class: 'card webhook-panel' }, h('h2', {}, t('orgs.webhook.title')), settings, secretSlot),
    h('section', { class: 'card' }, h('h2', {}, t('orgs.webhook.log')), log.el),
  );
  return load;
}
