import { data, h, table } from '../dom.js';
import { t } from '../i18n.js';
import { actionButton, confirmDialog, formDialog } from '../ui.js';
import { COMMAND_TITLES } from './command-words.js';

/*
 * The command palette of the session console: the seven commands of the box contract
 * (docs/protocol.md), each with a form for its arguments. A reboot and a parameter change ask
 * first; a parameter change reads the box's current values and shows old → new per parameter.
 * The outcome of every command lands on the session's timeline.
 */

/** @typedef {import('../../services/contract/payloads.ts').CommandName} CommandName */
/** @typedef {import('../../services/edge/commands/domain/command-port.ts').CommandOutcome} CommandOutcome */
/** @typedef {(name: CommandName, args: Record<string, unknown>) => Promise<CommandOutcome>} SendCommand */
/** @typedef {string | number | boolean} ParamValue */

/** How a change is written, as the examples show it (code, the same in every language). */
const EXAMPLE = 'report.intervalSec = 30';

/**
 * Reads "name = value" lines; the values stay text until the box's current values say their type.
 * @param {string} text
 * @returns {Map<string, string>}
 */
export function parseChanges(text) {
  /** @type {Map<string, string>} */
  const changes = new Map();
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const at = line.indexOf('=');
    const name = line.slice(0, at).trim();
    if (at < 0 || name === '') throw new Error(t('params.palette.lineFormat', { line: i + 1, example: EXAMPLE }));
    changes.set(name, line.slice(at + 1).trim());
  }
  if (changes.size === 0) throw new Error(t('params.palette.atLeastOne', { example: EXAMPLE }));
  return changes;
}

/**
 * The value typed, read as the type the box holds for that parameter (a number stays a number).
 * @param {string} name
 * @param {string} text
 * @param {unknown} current
 * @returns {ParamValue}
 */
function typed(name, text, current) {
  if (typeof current === 'number' || (current === undefined && /^-?\d+(\.\d+)?$/.test(text))) {
    const n = Number(text);
    if (text === '' || !Number.isFinite(n)) throw new Error(t('params.palette.notNumber', { name, text }));
    return n;
  }
  if (typeof current === 'boolean' || (current === undefined && (text === 'true' || text === 'false'))) {
    if (text !== 'true' && text !== 'false') throw new Error(t('params.palette.notBoolean', { name, text, yes: 'true', no: 'false' }));
    return text === 'true';
  }
  return text;
}

/** The one group all names share, so the read asks for only that group; else every parameter. @param {string[]} names */
function groupOf(names) {
  const groups = new Set(names.map((n) => n.split('.')[0]));
  return groups.size === 1 ? { group: /** @type {string} */ ([...groups][0]) } : {};
}

/** @param {SendCommand} send */
async function changeParameters(send) {
  const read = await formDialog({
    title: COMMAND_TITLES['params.set'],
    intro: t('params.palette.changesIntro'),
    fields: [
      {
        name: 'changes',
        label: t('params.palette.changes'),
        type: 'textarea',
        required: true,
        hint: t('params.palette.example', { example: EXAMPLE }),
      },
    ],
    submit: t('params.palette.readCurrent'),
    async onSubmit(values) {
      const wanted = parseChanges(String(values.changes ?? ''));
      const outcome = await send('params.get', groupOf([...wanted.keys()]));
      if (outcome.status !== 'succeeded') throw new Error(t('params.palette.readFailed', { reason: outcome.error?.message ?? outcome.status }));
      const current = /** @type {Record<string, unknown>} */ (outcome.result ?? {});
      /** @type {Record<string, ParamValue>} */
      const changes = {};
      for (const [name, text] of wanted) changes[name] = typed(name, text, current[name]);
      return { changes, current };
    },
  });
  if (!read) return;
  const rows = Object.entries(read.changes).map(([name, value]) => [
    h('span', { class: 'mono', translate: 'no' }, name),
    name in read.current ? data(String(read.current[name])) : t('params.notOnBox'),
    '→',
    data(String(value)),
  ]);
  const same = Object.entries(read.changes).every(([name, value]) => read.current[name] === value);
  const ok = await confirmDialog({
    title: t('params.palette.confirmTitle'),
    body: [
      table([t('params.table.parameter'), t('params.palette.now'), '', t('params.palette.new')], rows),
      same ? h('p', { class: 'muted' }, t('params.palette.alreadyHolds')) : null,
      h('p', {}, t('params.palette.allOrNone')),
    ],
    confirm: t('params.palette.change'),
  });
  if (ok) await send('params.set', { changes: read.changes });
}

/** @param {SendCommand} send @param {string} serial */
async function reboot(send, serial) {
  const values = await formDialog({
    title: COMMAND_TITLES.reboot,
    fields: [{ name: 'delayS', label: t('params.palette.delay'), type: 'number', min: 0, max: 3600, hint: t('params.palette.delayHint') }],
    submit: t('params.palette.next'),
    onSubmit: async (v) => v,
  });
  if (!values) return;
  const delayS = typeof values.delayS === 'number' ? values.delayS : undefined;
  const ok = await confirmDialog({
    title: t('params.palette.rebootTitle', { serial }),
    body: t('params.palette.rebootBody', { delay: delayS ?? 3 }),
    confirm: t('params.command.reboot'),
  });
  if (ok) await send('reboot', delayS === undefined ? {} : { delayS });
}

/**
 * Asks for a command's arguments in a form and sends it; the dialog shows a refusal in words.
 * @param {SendCommand} send @param {CommandName} name @param {import('../ui.js').Field[]} fields
 */
async function withForm(send, name, fields) {
  await formDialog({
    title: COMMAND_TITLES[name],
    fields,
    submit: t('params.palette.send'),
    onSubmit: (values) => {
      /** @type {Record<string, unknown>} */
      const args = {};
      for (const [k, v] of Object.entries(values)) if (v !== undefined) args[k] = v;
      return send(name, args);
    },
  });
}

/**
 * The palette: one button per command; only for roles that may command (the caller decides).
 * @param {{ send: SendCommand, serial: string }} options
 */
export function commandPalette({ send, serial }) {
  /** @type {Record<CommandName, () => Promise<unknown>>} */
  const runs = {
    ping: () => send('ping', {}),
    'params.get': () =>
      withForm(send, 'params.get', [
        { name: 'group', label: t('params.palette.group'), hint: t('params.palette.groupHint', { groups: 'network, plc, report' }), maxLength: 64 },
      ]),
    'params.set': () => changeParameters(send),
    reboot: () => reboot(send, serial),
    'diagnostics.run': () => send('diagnostics.run', {}),
    'log.fetch': () =>
      withForm(send, 'log.fetch', [
        { name: 'lines', label: t('params.palette.lines'), type: 'number', min: 1, max: 5000, value: 100, required: true },
      ]),
    'plc.scan': () =>
      withForm(send, 'plc.scan', [
        { name: 'from', label: t('params.palette.fromStation'), type: 'number', min: 1, max: 247 },
        { name: 'to', label: t('params.palette.toStation'), type: 'number', min: 1, max: 247 },
      ]),
  };
  return h(
    'div',
    { class: 'palette', id: 'command-palette' },
    Object.entries(runs).map(([name, run]) =>
      actionButton(COMMAND_TITLES[/** @type {CommandName} */ (name)], run, {
        tone: name === 'reboot' ? 'danger' : 'secondary',
        testId: `command-${name}`,
      }),
    ),
  );
}
