/**
 * What one telemetry payload costs to decode and validate, per message, on this machine:
 * JSON.parse alone, JSON.parse + the zod schema, JSON.parse + the hand-written check.
 * `npx tsx bench/telemetry-decode.ts [seconds per variant, default 2]`. Variants alternate in
 * rounds so a noisy neighbour hits all of them alike; the median round is reported.
 */
import { TelemetryPayload } from '../services/contract/payloads.ts';
import { checkTelemetryPayload } from '../services/contract/telemetry-check.ts';

// The load generator's message (bench/mqtt-wire.ts), with its ts and seq filled in.
const PAYLOADS = Array.from({ length: 1024 }, (_, i) =>
  Buffer.from(
    `{"ts":${1764504000000 + i},"seq":${i},"metrics":{"supply_voltage":24.1,"board_temp":41.2,"rssi":-71,` +
      `"cpu_load":0.23,"mem_used":48.2,"plc_link":1,"uptime":${12345 + i}}}`,
  ),
);

const variants: Record<string, (b: Buffer) => unknown> = {
  'JSON.parse only': (b) => JSON.parse(b.toString('utf8')),
  'JSON.parse + zod safeParse': (b) => {
    const r = TelemetryPayload.safeParse(JSON.parse(b.toString('utf8')));
    return r.success ? r.data : null;
  },
  'JSON.parse + hand-written check': (b) => checkTelemetryPayload(JSON.parse(b.toString('utf8'))),
};

// Keeps results alive so the work is not optimised away.
let sink = 0;

function round(fn: (b: Buffer) => unknown, ms: number): number {
  const end = performance.now() + ms;
  let n = 0;
  const start = performance.now();
  while (performance.now() < end) {
    for (let i = 0; i < PAYLOADS.length; i++) if (fn(PAYLOADS[i]!) !== null) sink++;
    n += PAYLOADS.length;
  }
  return ((performance.now() - start) * 1e6) / n;
}

const seconds = Number(process.argv[2] ?? 2);
const rounds = 5;
const results = new Map<string, number[]>();
// Warm-up, so every variant runs optimised code.
for (const fn of Object.values(variants)) round(fn, 300);
for (let r = 0; r < rounds; r++) {
  for (const [name, fn] of Object.entries(variants)) {
    const list = results.get(name) ?? [];
    list.push(round(fn, (seconds * 1000) / rounds));
    results.set(name, list);
  }
}
for (const [name, list] of results) {
  const median = [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
  console.log(`${name.padEnd(34)} ${median.toFixed(0).padStart(6)} ns/message`);
}
if (sink === 0) console.log('(nothing decoded)');
