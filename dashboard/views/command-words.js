/*
 * The seven box commands (docs/protocol.md, "Commands") in plain language: what was asked and
 * what the box answered, for the session timeline. Everything here is text; the raw result is
 * shown separately, formatted, by the timeline.
 */

/** @typedef {import('../../services/contract/payloads.ts').CommandName} CommandName */
/** @typedef {import('../../services/remote-support/sessions/domain/timeline-entry.ts').EntryOf<'command-result'>['data']} CommandResultData */

/** What each command is for, as the palette and the timeline name it. @type {Record<CommandName, string>} */
export const COMMAND_TITLES = {
  ping: 'Ping',
  'params.get': 'Read parameters',
  'params.set': 'Change parameters',
  reboot: 'Reboot',
  'diagnostics.run': 'Run diagnostics',
  'log.fetch': 'Fetch log',
  'plc.scan': 'Scan PLC stations',
};

/** @param {unknown} v @returns {Record<string, unknown>} */
const record = (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? /** @type {Record<string, unknown>} */ (v) : {});

/** @param {number} s seconds */
function uptime(s) {
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} days`;
}

/**
 * What was asked, e.g. "read the parameters of group plc".
 * @param {CommandName} name
 * @param {Record<string, unknown>} args
 */
export function describeCommand(name, args) {
  switch (name) {
    case 'ping':
      return 'pinged the box';
    case 'params.get':
      return typeof args.group === 'string' ? `read the box's ${args.group} parameters` : "read all of the box's parameters";
    case 'params.set': {
      const changes = Object.entries(record(args.changes)).map(([k, v]) => `${k} = ${String(v)}`);
      return `changed ${changes.length} parameter${changes.length === 1 ? '' : 's'}: ${changes.join(', ')}`;
    }
    case 'reboot':
      return `rebooted the box${typeof args.delayS === 'number' ? ` in ${args.delayS} s` : ''}`;
    case 'diagnostics.run':
      return 'ran the box diagnostics';
    case 'log.fetch':
      return typeof args.lines === 'number' ? `fetched the last ${args.lines} log lines` : "fetched the box's log";
    case 'plc.scan': {
      const range = typeof args.from === 'number' || typeof args.to === 'number' ? ` from station ${args.from ?? 1} to ${args.to ?? 247}` : '';
      return `scanned the PLC stations${range}`;
    }
    default:
      return `sent ${name}`;
  }
}

/**
 * What a succeeded command's result says, in one line.
 * @param {CommandName | undefined} name
 * @param {unknown} result
 */
function resultWords(name, result) {
  const r = record(result);
  switch (name) {
    case 'ping':
      return `The box answered: up ${typeof r.uptime === 'number' ? uptime(r.uptime) : '?'}, firmware ${String(r.fw ?? '?')}.`;
    case 'params.get':
      return `The box sent ${Object.keys(r).length} parameters.`;
    case 'params.set':
      return `The box applied ${typeof r.applied === 'number' ? r.applied : '?'} change(s).`;
    case 'reboot':
      return `The box reboots in ${String(r.rebootingInS ?? '?')} s; it drops offline and comes back.`;
    case 'diagnostics.run': {
      const checks = Array.isArray(r.checks) ? r.checks.map(record) : [];
      const failed = checks.filter((c) => c.ok !== true).map((c) => String(c.name));
      return failed.length === 0 ? `All ${checks.length} checks passed.` : `Failed checks: ${failed.join(', ')} (of ${checks.length}).`;
    }
    case 'log.fetch':
      return `The box sent ${Array.isArray(r.lines) ? r.lines.length : 0} log lines.`;
    case 'plc.scan': {
      const responding = Array.isArray(r.responding) ? r.responding : [];
      return responding.length === 0
        ? `No PLC station answered (${String(r.protocol ?? 'unknown protocol')}).`
        : `Stations answering (${String(r.protocol ?? '?')}): ${responding.join(', ')}.`;
    }
    default:
      return 'The box answered.';
  }
}

/**
 * The outcome of a command in words.
 * @param {CommandName | undefined} name the command it answers, when the timeline holds it
 * @param {CommandResultData} data
 */
export function describeResult(name, data) {
  const what = name ? COMMAND_TITLES[name] : 'The command';
  switch (data.status) {
    case 'succeeded':
      return resultWords(name, data.result);
    case 'failed': {
      const refused = Object.entries(record(data.error?.details?.refused)).map(([k, v]) => `${k}: ${String(v)}`);
      const why = refused.length > 0 ? ` Refused: ${refused.join('; ')}.` : '';
      return `The box refused (${data.error?.code ?? 'error'}): ${data.error?.message ?? 'no reason given'}.${why}`;
    }
    case 'timed-out':
      return `${what}: no answer in time. ${data.error?.message ?? ''}`.trim();
    case 'offline':
      return `${what} was not delivered: the box is offline.`;
    case 'queued':
      return `${what} waits until the box comes online.`;
    default:
      return `${what} was not sent (${data.error?.code ?? 'error'}).`;
  }
}
