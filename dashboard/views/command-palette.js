import { h, table } from '../dom.js';
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
    if (at < 0 || name === '') throw new Error(`Line ${i + 1}: write it as name = value, e.g. report.intervalSec = 30.`);
    changes.set(name, line.slice(at + 1).trim());
  }
  if (changes.size === 0) throw new Error('Write at least one change, e.g. report.intervalSec = 30.');
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
    if (text === '' || !Number.isFinite(n)) throw new Error(`${name} is a number on the box; "${text}" is not one.`);
    return n;
  }
  if (typeof current === 'boolean' || (current === undefined && (text === 'true' || text === 'false'))) {
    if (text !== 'true' && text !== 'false') throw new Error(`${name} is true or false on the box; "${text}" is neither.`);
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
    intro: 'One change per line, as name = value. The box’s current values are read first and shown before anything is changed.',
    fields: [{ name: 'changes', label: 'Changes', type: 'textarea', required: true, hint: 'e.g. report.intervalSec = 30' }],
    submit: 'Read current values',
    async onSubmit(values) {
      const wanted = parseChanges(String(values.changes ?? ''));
      const outcome = await send('params.get', groupOf([...wanted.keys()]));
      if (outcome.status !== 'succeeded') throw new Error(`The current values could not be read: ${outcome.error?.message ?? outcome.status}.`);
      const current = /** @type {Record<string, unknown>} */ (outcome.result ?? {});
      /** @type {Record<string, ParamValue>} */
      const changes = {};
      for (const [name, text] of wanted) changes[name] = typed(name, text, current[name]);
      return { changes, current };
    },
  });
  if (!read) return;
  const rows = Object.entries(read.changes).map(([name, value]) => [
    h('span', { class: 'mono' }, name),
    name in read.current ? String(read.current[name]) : 'not on the box',
    '→',
    String(value),
  ]);
  const same = Object.entries(read.changes).every(([name, value]) => read.current[name] === value);
  const ok = await confirmDialog({
    title: 'Change these parameters?',
    body: [
      table(['Parameter', 'Now', '', 'New'], rows),
      same ? h('p', { class: 'muted' }, 'The box already holds these values.') : null,
      h('p', {}, 'The box applies all of them or none; a backup is taken before the change.'),
    ],
    confirm: 'Change',
  });
  if (ok) await send('params.set', { changes: read.changes });
}

/** @param {SendCommand} send @param {string} serial */
async function reboot(send, serial) {
  const values = await formDialog({
    title: COMMAND_TITLES.reboot,
    fields: [{ name: 'delayS', label: 'Delay in seconds', type: 'number', min: 0, max: 3600, hint: 'default 3' }],
    submit: 'Next',
    onSubmit: async (v) => v,
  });
  if (!values) return;
  const delayS = typeof values.delayS === 'number' ? values.delayS : undefined;
  const ok = await confirmDialog({
    title: `Reboot ${serial}?`,
    body: `The box restarts ${delayS === undefined ? 'in 3 s' : `in ${delayS} s`}: it drops offline and reconnects. Whatever it is doing for the customer stops meanwhile.`,
    confirm: 'Reboot',
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
    submit: 'Send',
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
      withForm(send, 'params.get', [{ name: 'group', label: 'Group', hint: 'e.g. network, plc, report; empty for every parameter', maxLength: 64 }]),
    'params.set': () => changeParameters(send),
    reboot: () => reboot(send, serial),
    'diagnostics.run': () => send('diagnostics.run', {}),
    'log.fetch': () =>
      withForm(send, 'log.fetch', [{ name: 'lines', label: 'Lines', type: 'number', min: 1, max: 5000, value: 100, required: true }]),
    'plc.scan': () =>
      withForm(send, 'plc.scan', [
        { name: 'from', label: 'From station', type: 'number', min: 1, max: 247 },
        { name: 'to', label: 'To station', type: 'number', min: 1, max: 247 },
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
