import mqtt, { type MqttClient } from 'mqtt';
import { topicFor } from '../services/contract/topics.ts';
import { serve } from './ipc.ts';

/**
 * The boxes of `npm run bench:triage`, in their own process so the backend's figures are its
 * own. Started by bench/triage-latency.ts over IPC; times are wall-clock milliseconds
 * (performance.timeOrigin + now), comparable with the backend process on the same machine.
 */

/** A realistic mix: mostly remote faults, some hardware, some evidence, a clearing. */
export const MIX = [
  { channel: 'fault', body: { code: 'PLC_LINK_DOWN', severity: 'warning' } },
  { channel: 'fault', body: { code: 'CELL_APN_REJECTED', severity: 'error' } },
  { channel: 'fault', body: { code: 'MODBUS_CRC_ERRORS', severity: 'warning' } },
  { channel: 'fault', body: { code: 'FLASH_WRITE_FAILED', severity: 'error' } },
  { channel: 'fault', body: { code: 'PLC_LINK_DOWN', severity: 'info', state: 'cleared' } },
  { channel: 'event', body: { type: 'surge', details: { port: 'PWR' } } },
] as const;

export interface Sent {
  serial: string;
  t0: number;
  puback: number;
}

const clients = new Map<string, MqttClient>();
const wall = () => performance.timeOrigin + performance.now();
let seq = 0;
let telemetrySeq = 0;

async function connect(args: { url: string; creds: Array<{ serial: string; secret: string }> }): Promise<number> {
  for (const c of args.creds) {
    const client = await mqtt.connectAsync(args.url, {
      clientId: c.serial,
      username: c.serial,
      password: c.secret,
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    // Boxes of many firmware versions, so the fleet rule does not fold everything into incidents.
    const status = { state: 'online', fw: `2.${clients.size % 50}.0`, model: 'MT-BOX-4G' };
    await client.publishAsync(topicFor(c.serial, 'status'), JSON.stringify(status), { qos: 1, retain: true });
    clients.set(c.serial, client);
  }
  return clients.size;
}

/** Publishes MIX[mix] at QoS 1 and answers when it was sent and acknowledged. */
async function publish(args: { serial: string; mix: number }): Promise<Sent> {
  const kind = MIX[args.mix % MIX.length]!;
  const payload = JSON.stringify({ id: `b-${++seq}`, ts: Date.now(), ...kind.body });
  const t0 = wall();
  await clients.get(args.serial)!.publishAsync(topicFor(args.serial, kind.channel), payload, { qos: 1 });
  return { serial: args.serial, t0, puback: wall() };
}

function telemetryPayload(): string {
  return JSON.stringify({ ts: Date.now(), seq: ++telemetrySeq, metrics: { supply_voltage: 24.1, board_temp: 41.5, rssi: -71, cpu_load: 12 } });
}

/**
 * Every box of `serials` sends `perBox` messages one after the other (the next once the last
 * is acknowledged), all boxes at once; `probes` meanwhile publish telemetry at QoS 1, one in
 * flight each, for a telemetry PUBACK measured during the same burst.
 */
async function burst(args: { serials: string[]; perBox: number; total: number; probes: string[] }) {
  let running = true;
  const probePubacks: number[] = [];
  const probing = Promise.all(
    args.probes.map(async (serial) => {
      while (running) {
        const t0 = wall();
        await clients.get(serial)!.publishAsync(topicFor(serial, 'telemetry'), telemetryPayload(), { qos: 1 });
        probePubacks.push(wall() - t0);
      }
    }),
  );
  const sent = await Promise.all(
    args.serials.map(async (serial, b) => {
      const out: Sent[] = [];
      for (let k = 0; k < args.perBox && b * args.perBox + k < args.total; k++) out.push(await publish({ serial, mix: b + k }));
      return out;
    }),
  );
  running = false;
  await probing;
  return { sent: sent.flat(), probePubacks };
}

let background: { timer: NodeJS.Timeout; count: { sent: number }; start: number } | null = null;

/** QoS 0 telemetry at `rate` messages/s from `serials` in turn, in 10 ms ticks, until telemetryStop. */
function telemetryStart(args: { serials: string[]; rate: number }): void {
  const count = { sent: 0 };
  const start = wall();
  let last = start;
  let owed = 0;
  const timer = setInterval(() => {
    // Catch up on ticks the timer was late for, so the rate holds under load.
    const now = wall();
    owed += (args.rate * (now - last)) / 1000;
    last = now;
    for (; owed >= 1; owed--) {
      const serial = args.serials[count.sent % args.serials.length]!;
      clients.get(serial)!.publish(topicFor(serial, 'telemetry'), telemetryPayload(), { qos: 0 });
      count.sent++;
    }
  }, 10);
  background = { timer, count, start };
}

function telemetryStop(): { sent: number; seconds: number } {
  if (!background) return { sent: 0, seconds: 0 };
  clearInterval(background.timer);
  const out = { sent: background.count.sent, seconds: (wall() - background.start) / 1000 };
  background = null;
  return out;
}

async function close(): Promise<void> {
  await Promise.all([...clients.values()].map((c) => c.endAsync()));
  clients.clear();
}

serve({ connect, publish, burst, telemetryStart, telemetryStop, close });
