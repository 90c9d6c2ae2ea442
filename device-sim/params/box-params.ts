import type { Random } from '../prng.ts';
import { spec } from './param-spec.ts';
import { def, type ParamDef } from './param-table.ts';

const TIMEZONES = ['Asia/Shanghai', 'Asia/Singapore', 'Europe/Berlin', 'Europe/London', 'Europe/Rome', 'Europe/Amsterdam', 'UTC'] as const;
const HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;

/** `alarm.*`: the thresholds at which the box raises its own faults (docs/protocol.md metrics and units). */
export function alarmParams(): ParamDef[] {
  return [
    def('alarm.boardTempHigh', 70, spec.number(40, 100)),
    def('alarm.boardTempLow', -20, spec.number(-40, 10)),
    def('alarm.supplyLow', 20, spec.number(9, 24)),
    def('alarm.supplyHigh', 28, spec.number(24, 36)),
    def('alarm.rssiLow', -95, spec.int(-120, -50)),
    def('alarm.cpuLoadHigh', 95, spec.int(50, 100)),
    def('alarm.memUsedHigh', 90, spec.int(50, 100)),
    // A PLC that misses one poll is normal on a noisy RS-485 line; a fault only after this long.
    def('alarm.plcLinkDownAfterS', 30, spec.int(1, 3600)),
    def('alarm.hysteresisPct', 5, spec.int(0, 50)),
    def('alarm.reportCleared', true, spec.bool()),
    def('alarm.smsEnabled', false, spec.bool()),
    def('alarm.smsNumbers', '', spec.text(255, /^$|^\+?\d{5,15}(,\+?\d{5,15})*$/, 'must be phone numbers, comma-separated')),
  ];
}

/** `report.*`: how telemetry goes to the cloud. */
export function reportParams(random: Random): ParamDef[] {
  return [
    def('report.intervalSec', random.pick([10, 30, 30, 60, 300]), spec.int(1, 86_400)),
    def('report.qos', 0, spec.enumOf([0, 1])),
    def('report.compress', false, spec.bool()),
    def('report.batchSize', 1, spec.int(1, 500)),
    def('report.onChangeOnly', false, spec.bool()),
    // Records kept in flash while the uplink is down, sent oldest first when it is back.
    def('report.offlineBufferRecords', 10_000, spec.int(0, 100_000)),
    def('report.timestampSource', 'box', spec.enumOf(['box', 'plc'])),
  ];
}

/** `system.*`: name and place, time, logging, the watchdog and local access. */
export function systemParams(random: Random): ParamDef[] {
  const timezone = random.chance(0.8) ? 'Asia/Shanghai' : random.pick(TIMEZONES);
  return [
    def('system.name', `${random.int(1, 12)}#产线网关`, spec.text(64)),
    def('system.location', '', spec.text(128)),
    def('system.timezone', timezone, spec.enumOf(TIMEZONES)),
    def('system.ntpServer', timezone === 'Asia/Shanghai' ? 'ntp.aliyun.com' : 'pool.ntp.org', spec.text(253, HOST, 'must be a host name or address')),
    def('system.ntpIntervalMin', 60, spec.int(1, 1440)),
    def('system.logLevel', 'info', spec.enumOf(['error', 'warn', 'info', 'debug'])),
    def('system.watchdogSec', 60, spec.int(10, 600)),
    def('system.webUiEnabled', true, spec.bool()),
    def('system.webUiPort', 80, spec.int(1, 65_535)),
    def('system.sshEnabled', false, spec.bool()),
    def('system.rebootDaily', false, spec.bool()),
    def('system.rebootAt', '03:30', spec.text(5, /^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM')),
  ];
}
