/*
 * The seven box commands (docs/protocol.md, "Commands") in plain language: what was asked and
 * what the box answered, for the session timeline. Everything here is text; the raw result is
 * shown separately, formatted, by the timeline.
 */

import { data, h, tNodes } from '../dom.js';
import { t } from '../i18n.js';

/** @typedef {import('../../services/contract/payloads.ts').CommandName} CommandName */
/** @typedef {import('../../services/remote-support/sessions/domain/timeline-entry.ts').EntryOf<'command-result'>['data']} CommandResultData */

/** @type {Record<CommandName, import('../i18n.js').MessageKey>} */
const TITLE_KEYS = {
  ping: 'params.command.ping',
  'params.get': 'params.command.params.get',
  'params.set': 'params.command.params.set',
  reboot: 'params.command.reboot',
  'diagnostics.run': 'params.command.diagnostics.run',
  'log.fetch': 'params.command.log.fetch',
  'plc.scan': 'params.command.plc.scan',
};

/**
 * What each command is for, as the palette and the timeline name it: read at each use, so it
 * is in the page's language of the moment.
 * @type {Readonly<Record<CommandName, string>>}
 */
export const COMMAND_TITLES = /** @type {Record<CommandName, string>} */ (
  Object.defineProperties({}, Object.fromEntries(Object.entries(TITLE_KEYS).map(([name, key]) => [name, { enumerable: true, get: () => t(key) }])))
);

/** @param {unknown} v @returns {Record<string, unknown>} */
const record = (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? /** @type {Record<string, unknown>} */ (v) : {});

/** @param {number} s seconds */
function uptime(s) {
  if (s < 120) return t('params.uptime.seconds', { n: s });
  if (s < 7200) return t('params.uptime.minutes', { n: Math.round(s / 60) });
  if (s < 172_800) return t('params.uptime.hours', { n: Math.round(s / 3600) });
  return t('params.uptime.days', { n: Math.round(s / 86_400) });
}

/** Text and data nodes as one text. @param {(string | Node)[]} parts */
const textOf = (parts) => parts.map((p) => (typeof p === 'string' ? p : (p.textContent ?? ''))).join('');

/**
 * What was asked, e.g. "read the parameters of group plc", as text.
 * @param {CommandName} name
 * @param {Record<string, unknown>} args
 */
export function describeCommand(name, args) {
  return textOf(describeCommandParts(name, args));
}

/**
 * What was asked, the parameter names and values in it marked as data (dom.js `data()`), so a
 * page in Chinese shows them as typed without counting them as English words.
 * @param {CommandName} name
 * @param {Record<string, unknown>} args
 * @returns {(string | Node)[]}
 */
export function describeCommandParts(name, args) {
  return [...commandWords(name, args)];
}

/**
 * @param {CommandName} name
 * @param {Record<string, unknown>} args
 * @returns {(string | Node)[]}
 */
function commandWords(name, args) {
  switch (name) {
    case 'ping':
      return [t('params.did.ping')];
    case 'params.get':
      return typeof args.group === 'string' ? tNodes('params.did.readGroup', { group: data(args.group) }) : [t('params.did.readAll')];
    case 'params.set': {
      const changes = Object.entries(record(args.changes)).map(([k, v]) => `${k} = ${String(v)}`);
      return tNodes('params.did.changed', { count: changes.length, changes: data(changes.join(', ')) });
    }
    case 'reboot':
      return [typeof args.delayS === 'number' ? t('params.did.rebootIn', { delay: args.delayS }) : t('params.did.reboot')];
    case 'diagnostics.run':
      return [t('params.did.diagnostics')];
    case 'log.fetch':
      return [typeof args.lines === 'number' ? t('params.did.logLines', { lines: args.lines }) : t('params.did.log')];
    case 'plc.scan':
      return [
        typeof args.from === 'number' || typeof args.to === 'number'
          ? t('params.did.scanRange', { from: Number(args.from ?? 1), to: Number(args.to ?? 247) })
          : t('params.did.scan'),
      ];
    default:
      return tNodes('params.did.sent', { name: data(String(name)) });
  }
}

/** Data (a firmware, a check's or protocol's name, the box's words) shown as it came. @param {unknown} v */
const as = (v) => data(String(v));

/**
 * What a succeeded command's result says, in one line.
 * @param {CommandName | undefined} name
 * @param {unknown} result
 * @returns {(string | Node)[]}
 */
function resultWords(name, result) {
  const r = record(result);
  switch (name) {
    case 'ping':
      return tNodes('params.answer.ping', { uptime: typeof r.uptime === 'number' ? uptime(r.uptime) : '?', firmware: as(r.fw ?? '?') });
    case 'params.get':
      return [t('params.answer.paramsGet', { count: Object.keys(r).length })];
    case 'params.set':
      return [t('params.answer.paramsSet', { count: typeof r.applied === 'number' ? r.applied : '?' })];
    case 'reboot':
      return [t('params.answer.reboot', { seconds: String(r.rebootingInS ?? '?') })];
    case 'diagnostics.run': {
      const checks = Array.isArray(r.checks) ? r.checks.map(record) : [];
      const failed = checks.filter((c) => c.ok !== true).map((c) => String(c.name));
      return failed.length === 0
        ? [t('params.answer.checksPassed', { count: checks.length })]
        : tNodes('params.answer.checksFailed', { names: as(failed.join(', ')), count: checks.length });
    }
    case 'log.fetch':
      return [t('params.answer.logLines', { count: Array.isArray(r.lines) ? r.lines.length : 0 })];
    case 'plc.scan': {
      const responding = Array.isArray(r.responding) ? r.responding : [];
      return responding.length === 0
        ? tNodes('params.answer.noStation', { protocol: typeof r.protocol === 'string' ? as(r.protocol) : t('params.answer.unknownProtocol') })
        : tNodes('params.answer.stations', { protocol: as(r.protocol ?? '?'), stations: responding.join(', ') });
    }
    default:
      return [t('params.answer.other')];
  }
}

/**
 * The outcome of a command in words, as text.
 * @param {CommandName | undefined} name the command it answers, when the timeline holds it
 * @param {CommandResultData} outcome
 */
export function describeResult(name, outcome) {
  return textOf(describeResultParts(name, outcome)).trim();
}

/**
 * The outcome of a command in words, what the box reported (its firmware, its error message,
 * the names it refused) marked as data (dom.js `data()`).
 * @param {CommandName | undefined} name the command it answers, when the timeline holds it
 * @param {CommandResultData} outcome
 * @returns {(string | Node)[]}
 */
export function describeResultParts(name, outcome) {
  const what = name ? COMMAND_TITLES[name] : t('params.outcome.theCommand');
  const error = outcome.error;
  switch (outcome.status) {
    case 'succeeded':
      return resultWords(name, outcome.result);
    case 'failed': {
      const refused = Object.entries(record(error?.details?.refused)).map(([k, v]) => `${k}: ${String(v)}`);
      const why = refused.length > 0 ? h('span', {}, tNodes('params.outcome.refusedItems', { items: as(refused.join('; ')) })) : '';
      return tNodes('params.outcome.refused', {
        code: error?.code ?? 'error',
        message: error?.message === undefined ? t('params.outcome.noReason') : as(error.message),
        why,
      });
    }
    case 'timed-out':
      return tNodes('params.outcome.timedOut', { what, message: error?.message ? as(error.message) : '' });
    case 'offline':
      return [t('params.outcome.offline', { what })];
    case 'queued':
      return [t('params.outcome.queued', { what })];
    default:
      return [t('params.outcome.notSent', { what, code: error?.code ?? 'error' })];
  }
}
