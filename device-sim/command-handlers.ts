import { z } from 'zod';
import type { CommandError, CommandName, ParamSet, ParamValue } from '../services/contract/payloads.ts';
import { LOG_CAPACITY, type LogLevel } from './log-ring.ts';
import { STATION_MAX, STATION_MIN, parseStations } from './params/param-spec.ts';
import type { ParamStore } from './params/param-store.ts';

/** What the box knows about itself when a command arrives. */
export interface BoxSnapshot {
  now: number;
  bootAt: number;
  firmware: string;
  plcLinkUp: boolean;
  /** dBm, as in telemetry. */
  rssi: number;
  /** V, as in telemetry. */
  supplyVoltage: number;
  /** Flash in use, %. */
  storageUsedPct: number;
}

/** Work the box does after it has answered. */
export type CommandEffect = { kind: 'reboot'; delayS: number };

export type Handled = { ok: true; result: unknown; effect?: CommandEffect } | { ok: false; error: CommandError };

export interface CommandContext {
  id: string;
  box: BoxSnapshot;
  params: ParamStore;
  log(level: LogLevel, source: string, text: string): void;
  logTail(lines: number): string[];
}

export interface CommandHandler {
  run(args: Record<string, unknown>, ctx: CommandContext): Handled;
}

/** A handler whose arguments are read with `schema`; anything it cannot read is `invalid-args`. */
function handler<S extends z.ZodType>(schema: S, run: (args: z.output<S>, ctx: CommandContext) => Handled): CommandHandler {
  return {
    run(args, ctx) {
      const parsed = schema.safeParse(args);
      if (parsed.success) return run(parsed.data, ctx);
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'args'}: ${i.message}`);
      return failure({ code: 'invalid-args', message: issues.join('; '), details: { issues } });
    },
  };
}

const failure = (error: CommandError): Handled => ({ ok: false, error });
const NoArgs = z.object({}).strict();
const Station = z.number().int().min(STATION_MIN).max(STATION_MAX);
export const DEFAULT_REBOOT_DELAY_S = 3;
const STORAGE_FULL_PCT = 90;

/** One handler per command in the contract; the executor answers any other name with unknown-command. */
export const COMMAND_HANDLERS: Readonly<Record<CommandName, CommandHandler>> = {
  ping: handler(NoArgs, (_args, { box }) => ({
    ok: true,
    result: { uptime: Math.max(0, Math.floor((box.now - box.bootAt) / 1000)), fw: box.firmware },
  })),

  'params.get': handler(z.object({ group: z.string().min(1).max(64).optional() }).strict(), ({ group }, { params }) => {
    const result = params.reported(group);
    if (result) return { ok: true, result };
    return failure({ code: 'unknown-group', message: `no parameter group ${group}`, details: { group, groups: [...params.groups()] } });
  }),

  'params.set': handler(
    z.object({ changes: z.record(z.string(), z.unknown()).refine((c) => Object.keys(c).length > 0, 'at least one change') }).strict(),
    ({ changes }, { id, params, log }) => {
      const refused = params.check(changes);
      const names = Object.keys(refused);
      if (names.length > 0) {
        log('warn', 'params', `refused ${names.length} of ${Object.keys(changes).length} changes from command ${id}: ${names.join(', ')}`);
        return failure({ code: 'params-refused', message: `${names.length} parameter(s) refused, nothing changed`, details: { refused } });
      }
      // check() accepted every value, so each is a contract ParamValue.
      const changed = params.apply(changes as ParamSet);
      const summary = changed.map((c) => `${c.name} ${show(c.from)}→${show(c.to)}`).join(', ');
      log('info', 'params', `${changed.length} changed by command ${id}${summary ? `: ${summary}` : ''}`);
      return { ok: true, result: { applied: Object.keys(changes).length } };
    },
  ),

  reboot: handler(z.object({ delayS: z.number().int().min(0).max(3600).optional() }).strict(), ({ delayS = DEFAULT_REBOOT_DELAY_S }, { id, log }) => {
    log('warn', 'system', `reboot in ${delayS} s requested by command ${id}`);
    return { ok: true, result: { rebootingInS: delayS }, effect: { kind: 'reboot', delayS } };
  }),

  'diagnostics.run': handler(NoArgs, (_args, { box, params, log }) => {
    const p = params.values();
    const rssiLow = num(p, 'alarm.rssiLow', -95);
    const supplyLow = num(p, 'alarm.supplyLow', 20);
    const supplyHigh = num(p, 'alarm.supplyHigh', 28);
    const checks = [
      { name: 'plc-link', ok: box.plcLinkUp, detail: plcLinkDetail(p, box.plcLinkUp) },
      { name: 'cellular', ok: box.rssi >= rssiLow, detail: `rssi ${box.rssi} dBm (alarm below ${rssiLow}), apn ${String(p['network.apn'] ?? '')}` },
      { name: 'storage', ok: box.storageUsedPct < STORAGE_FULL_PCT, detail: `flash ${box.storageUsedPct}% used` },
      {
        name: 'power',
        ok: box.supplyVoltage >= supplyLow && box.supplyVoltage <= supplyHigh,
        detail: `supply ${box.supplyVoltage} V (alarm below ${supplyLow} V or above ${supplyHigh} V)`,
      },
    ];
    const failed = checks.filter((c) => !c.ok).map((c) => c.name);
    log(failed.length ? 'warn' : 'info', 'diag', failed.length ? `checks failed: ${failed.join(', ')}` : 'all checks passed');
    return { ok: true, result: { checks } };
  }),

  'log.fetch': handler(z.object({ lines: z.number().int().min(1).max(LOG_CAPACITY) }).strict(), ({ lines }, { logTail }) => ({
    ok: true,
    result: { lines: logTail(lines) },
  })),

  'plc.scan': handler(
    z
      .object({ from: Station.optional(), to: Station.optional() })
      .strict()
      .refine((a) => (a.from ?? STATION_MIN) <= (a.to ?? STATION_MAX), 'from must not be above to'),
    ({ from = STATION_MIN, to = STATION_MAX }, { box, params, log }) => {
      const p = params.values();
      const protocol = String(p['plc.protocol']);
      // Only the configured stations answer, and none while the bus to the PLC is down.
      const responding = box.plcLinkUp ? stationsOf(p).filter((a) => a >= from && a <= to) : [];
      log('info', 'plc', `scan ${from}-${to} on ${String(p['plc.port'])}: ${responding.length} station(s) answer`);
      return { ok: true, result: { protocol, responding } };
    },
  ),
};

function plcLinkDetail(p: ParamSet, up: boolean): string {
  const protocol = String(p['plc.protocol']);
  const port = String(p['plc.port']);
  const line =
    protocol === 'modbus-rtu'
      ? ` ${num(p, 'plc.baud', 9600)} ${num(p, 'plc.dataBits', 8)}${String(p['plc.parity']).charAt(0).toUpperCase()}${num(p, 'plc.stopBits', 1)}`
      : '';
  const stations = stationsOf(p).join(',');
  return up
    ? `${protocol} on ${port}${line}: station(s) ${stations} answer`
    : `${protocol} on ${port}${line}: no answer from station(s) ${stations} (timeout ${num(p, 'plc.timeoutMs', 500)} ms, ${num(p, 'plc.retries', 3)} retries)`;
}

function stationsOf(p: ParamSet): number[] {
  return parseStations(String(p['plc.stationAddresses'] ?? '')) ?? [];
}

function num(p: ParamSet, name: string, fallback: number): number {
  const v = p[name];
  return typeof v === 'number' ? v : fallback;
}

function show(value: ParamValue): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
