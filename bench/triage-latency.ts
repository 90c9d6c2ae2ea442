import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import mqtt, { type MqttClient } from 'mqtt';
import { startApp } from '../services/app.ts';
import { loadConfig } from '../services/platform/config.ts';
import { topicFor } from '../services/contract/topics.ts';
import { createLogger } from '../services/platform/logger.ts';
import type { LiveEvent } from '../services/remote-support/realtime/live-events.ts';

/**
 * `npm run bench:triage`: fault → triage decision latency over real MQTT, against the
 * PUBACK latency of the same publish as the in-run reference (the fault is committed
 * before its PUBACK, so decision − PUBACK is what diagnostics adds).
 * Flags: --boxes 200  --isolated 300 (one fault at a time)  --burst 2000 (all at once)
 *        --no-write (leave BENCHMARKS.md alone)
 */

const { values: a } = parseArgs({
  options: {
    boxes: { type: 'string', default: '200' },
    isolated: { type: 'string', default: '300' },
    burst: { type: 'string', default: '2000' },
    'no-write': { type: 'boolean', default: false },
  },
});

// A realistic mix: mostly remote faults, some hardware, some evidence, a few repeats.
const MIX = [
  { channel: 'fault', body: { code: 'PLC_LINK_DOWN', severity: 'warning' } },
  { channel: 'fault', body: { code: 'CELL_APN_REJECTED', severity: 'error' } },
  { channel: 'fault', body: { code: 'MODBUS_CRC_ERRORS', severity: 'warning' } },
  { channel: 'fault', body: { code: 'FLASH_WRITE_FAILED', severity: 'error' } },
  { channel: 'fault', body: { code: 'PLC_LINK_DOWN', severity: 'info', state: 'cleared' } },
  { channel: 'event', body: { type: 'surge', details: { port: 'PWR' } } },
] as const;

const dir = mkdtempSync(path.join(tmpdir(), 'mtbox-triage-bench-'));
const config = loadConfig({
  MQTT_PORT: '0',
  MQTT_HOST: '127.0.0.1',
  HTTP_PORT: '0',
  HTTP_HOST: '127.0.0.1',
  DATA_DIR: dir,
  ADMIN_PASSWORD: 'bench-admin-password',
  LOG_LEVEL: 'warn',
});
const app = await startApp(config, { logger: createLogger(config.LOG_LEVEL) });
const boxCount = Number(a.boxes);
const serials = Array.from({ length: boxCount }, (_, i) => `MTBBENCH${String(i).padStart(6, '0')}`);
// Boxes of many firmware versions, so the fleet rule does not fold everything into incidents.
const creds = await app.provision(serials, 'bench-shared-secret');
const clients = new Map<string, MqttClient>();
for (const c of creds) {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${app.mqttPort}`, {
    clientId: c.serial,
    username: c.serial,
    password: c.secret,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  await client.publishAsync(topicFor(c.serial, 'status'), JSON.stringify({ state: 'online', fw: `2.${clients.size % 50}.0`, model: 'MT-BOX-4G' }), {
    qos: 1,
    retain: true,
  });
  clients.set(c.serial, client);
}

// Decisions arrive on the live bus, published right after their transaction commits.
const waiting = new Map<string, (at: number) => void>();
app.bus.subscribe((e: LiveEvent) => {
  if (e.type !== 'triage.decided') return;
  const key = `${e.id}`;
  const resolve = waiting.get(key);
  if (resolve) {
    waiting.delete(key);
    resolve(performance.now());
  }
});

let seq = 0;
interface Sample {
  pubackMs: number;
  decisionMs: number;
}

/** Publishes one message and answers its PUBACK and decision latencies. */
async function one(serial: string, kind: (typeof MIX)[number]): Promise<Sample> {
  const client = clients.get(serial)!;
  const id = `b-${++seq}`;
  const payload = { id, ts: Date.now(), ...kind.body };
  const decided = new Promise<number>((resolve) => waiting.set(serial, resolve));
  const t0 = performance.now();
  await client.publishAsync(topicFor(serial, kind.channel), JSON.stringify(payload), { qos: 1 });
  const puback = performance.now();
  const decision = await decided;
  return { pubackMs: puback - t0, decisionMs: decision - t0 };
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

// Isolated: one message in flight, the latency a support engineer sees on a quiet system.
const isolated: Sample[] = [];
for (let i = 0; i < Number(a.isolated); i++) {
  isolated.push(await one(serials[i % boxCount]!, MIX[i % MIX.length]!));
}

// Burst: every box reports at once (a site-wide power dip), several messages each.
const burstN = Number(a.burst);
const perBox = Math.ceil(burstN / boxCount);
const burstStart = performance.now();
const burst = (
  await Promise.all(
    serials.map(async (serial, b) => {
      const out: Sample[] = [];
      for (let k = 0; k < perBox && b * perBox + k < burstN; k++) out.push(await one(serial, MIX[(b + k) % MIX.length]!));
      return out;
    }),
  )
).flat();
const burstS = (performance.now() - burstStart) / 1000;

for (const c of clients.values()) await c.endAsync();
await app.stop();
rmSync(dir, { recursive: true, force: true });

const f = (x: number) => x.toFixed(1);
const row = (name: string, xs: Sample[]) =>
  `| ${name} | ${xs.length} | ${f(
    pct(
      xs.map((x) => x.pubackMs),
      50,
    ),
  )} | ${f(
    pct(
      xs.map((x) => x.decisionMs),
      50,
    ),
  )} | ` +
  `${f(
    pct(
      xs.map((x) => x.decisionMs),
      95,
    ),
  )} | ${f(
    pct(
      xs.map((x) => x.decisionMs),
      99,
    ),
  )} | ` +
  `${(
    pct(
      xs.map((x) => x.decisionMs),
      50,
    ) /
      pct(
        xs.map((x) => x.pubackMs),
        50,
      )
  ).toFixed(2)} |`;
const table = [
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; \`npm run bench:triage\` (${boxCount} boxes, ${new Date().toISOString().slice(0, 10)}).`,
  '',
  '| run | messages | PUBACK p50 ms (reference) | decision p50 ms | decision p95 ms | decision p99 ms | decision / PUBACK (p50) |',
  '|---|---:|---:|---:|---:|---:|---:|',
  row('one at a time', isolated),
  row(`burst (${boxCount} boxes at once)`, burst),
  '',
  `Burst throughput: ${Math.round(burst.length / burstS)} decisions/s.`,
].join('\n');
console.log(table);

if (!a['no-write']) {
  const file = new URL('../BENCHMARKS.md', import.meta.url);
  const md = readFileSync(file, 'utf8');
  const start = '<!-- triage:start (written by npm run bench:triage) -->';
  const end = '<!-- triage:end -->';
  const block = `${start}\n${table}\n${end}`;
  const next = md.includes(start)
    ? md.replace(new RegExp(`${start}[\\s\\S]*?${end}`), block)
    : `${md.trimEnd()}\n\n## Fault → decision latency\n\n${block}\n`;
  writeFileSync(file, next);
}
