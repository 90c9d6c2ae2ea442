import { api, ApiError } from '../api.js';
import { h } from '../dom.js';
import { errorText } from '../error-words.js';
import { t } from '../i18n.js';
import { formDialog } from '../ui.js';
import { businessLineOptions } from './business-lines.js';

/** @typedef {{ serial: string, secret: string }} Credential */

/**
 * The secrets the server answers once, as a CSV file the clerk downloads to provision the
 * boxes; built in the page, so the secrets never travel again.
 * @param {Credential[]} credentials
 */
function secretsDownload(credentials) {
  const csv = ['serial,secret', ...credentials.map((c) => `${c.serial},${c.secret}`)].join('\r\n');
  const url = URL.createObjectURL(new Blob([`${csv}\r\n`], { type: 'text/csv' }));
  return h('a', { href: url, download: 'mt-box-secrets.csv', class: 'button-link' }, t('fleet.register.download'));
}

/** Shows what the server answered once; the dialog says it will not be shown again. @param {string} title @param {Node[]} content */
async function showOnce(title, content) {
  await formDialog({
    title,
    intro: [...content, h('p', { class: 'warn-text' }, t('fleet.register.onlyNow'))],
    fields: [],
    submit: t('fleet.register.done'),
    onSubmit: async () => true,
  });
}

/**
 * "Register box": the registry's fields; the answer's MQTT secret is shown once.
 * @param {() => Promise<void>} onDone
 */
export function registerButton(onDone) {
  const button = h('button', { type: 'button', class: 'secondary' }, t('fleet.register.button'));
  button.addEventListener('click', async () => {
    const created = await formDialog({
      title: t('fleet.register.title'),
      fields: [
        { name: 'serial', label: t('fleet.register.serial'), required: true, maxLength: 32 },
        { name: 'model', label: t('fleet.register.model'), required: true, value: 'MT-BOX-4G', maxLength: 64 },
        { name: 'firmware', label: t('fleet.register.firmware'), maxLength: 64 },
        { name: 'saleDate', label: t('fleet.register.saleDate'), type: 'date' },
        { name: 'receiptDate', label: t('fleet.register.receiptDate'), type: 'date', hint: t('fleet.register.receiptHint') },
        { name: 'customerName', label: t('fleet.register.customer'), maxLength: 200 },
        { name: 'businessLine', label: t('fleet.register.businessLine'), type: 'select', options: businessLineOptions() },
        { name: 'contacts', label: t('fleet.register.contacts'), maxLength: 200 },
        { name: 'phone', label: t('fleet.register.phone'), maxLength: 64 },
      ],
      submit: t('fleet.register.submit'),
      async onSubmit(v) {
        const customer =
          v.customerName || v.businessLine ? { name: v.customerName, businessLine: v.businessLine, contacts: v.contacts, phone: v.phone } : undefined;
        const body = { serial: v.serial, model: v.model, firmware: v.firmware, saleDate: v.saleDate, receiptDate: v.receiptDate, customer };
        return /** @type {{ device: { serial: string }, secret: string }} */ (await api('/devices', { method: 'POST', body }));
      },
    });
    if (!created) return;
    await onDone();
    const credential = { serial: created.device.serial, secret: created.secret };
    await showOnce(t('fleet.register.registered', { serial: credential.serial }), [
      h('p', {}, t('fleet.register.secret'), h('code', { class: 'secret', 'data-testid': 'new-secret', translate: 'no' }, credential.secret)),
      secretsDownload([credential]),
    ]);
  });
  return button;
}

/**
 * Uploads a CSV file with XMLHttpRequest, whose upload events give the progress fetch lacks.
 * @param {File} file
 * @param {(sent: number, total: number) => void} onProgress
 * @returns {Promise<{ imported: number, devices: Credential[] }>}
 */
function upload(file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/devices/import');
    xhr.setRequestHeader('content-type', 'text/csv');
    xhr.upload.addEventListener('progress', (e) => onProgress(e.loaded, e.total));
    xhr.addEventListener('error', () => reject(new TypeError('network error')));
    xhr.addEventListener('load', () => {
      /** @type {{ error?: string, details?: unknown } | null} */
      let data = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: a proxy's error page; the status says enough
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(/** @type {{ imported: number, devices: Credential[] }} */ (data));
      else reject(new ApiError(xhr.status, data?.error ?? `HTTP_${xhr.status}`, data?.details ?? null));
    });
    xhr.send(file);
  });
}

/**
 * "Import CSV": registers many boxes from a file (all or nothing), with progress while the
 * file uploads and while the server registers the boxes, then the secrets to download once.
 * @param {() => Promise<void>} onDone
 */
export function importButton(onDone) {
  const file = h('input', { type: 'file', accept: '.csv,text/csv', id: 'fleet-import-file', class: 'visually-hidden' });
  const button = h('button', { type: 'button', class: 'secondary' }, t('fleet.import.button'));
  const progress = h('span', { class: 'muted', id: 'fleet-import-progress', role: 'status' });
  button.addEventListener('click', () => file.click());
  file.addEventListener('change', async () => {
    const chosen = file.files?.[0];
    file.value = '';
    if (!chosen) return;
    button.disabled = true;
    progress.className = 'muted';
    const started = Date.now();
    /** @type {ReturnType<typeof setInterval> | undefined} */
    let ticker;
    const registering = () => {
      progress.textContent = t('fleet.import.registering', { seconds: Math.round((Date.now() - started) / 1000) });
    };
    try {
      const result = await upload(chosen, (sent, total) => {
        progress.textContent = t('fleet.import.uploading', { file: chosen.name, percent: total > 0 ? Math.round((sent / total) * 100) : 0 });
        // Once the file is sent the server checks every row and hashes every secret.
        if (sent === total && ticker === undefined) {
          registering();
          ticker = setInterval(registering, 1000);
        }
      });
      clearInterval(ticker);
      progress.textContent = t('fleet.import.registered', { count: result.imported });
      await onDone();
      await showOnce(t('fleet.import.registeredTitle', { count: result.imported }), [secretsDownload(result.devices)]);
    } catch (err) {
      clearInterval(ticker);
      progress.textContent = t('fleet.import.failed', { reason: errorText(err) });
      progress.className = 'error inline';
    } finally {
      button.disabled = false;
    }
  });
  return h('span', { class: 'action' }, button, file, progress);
}
