import { describe, expect, it } from 'vitest';
import { MAX_METRICS_PER_MESSAGE, TelemetryPayload } from './payloads.ts';
import { mulberry32 as random } from '../../device-sim/prng.ts';
import { checkTelemetryPayload } from './telemetry-check.ts';

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

// Number literals as JSON text, so values JSON cannot hold in a double (1e309) come in as boxes send them.
const NUMBER_TEXTS = [
  '0',
  '-0',
  '1',
  '-1',
  '1.5',
  '-1.5',
  '1.0',
  '24.1',
  '1e3',
  '1E-3',
  '1e308',
  '1e309',
  '-1e309',
  '5e-324',
  '9007199254740991',
  '9007199254740992',
  '9007199254740993',
  '-9007199254740991',
  '1764504000000',
  '1764504000000.5',
  '0.1e1',
] as const;
const JUNK = ['null', 'true', 'false', '"x"', '"NaN"', '"Infinity"', '"1"', '""', '[]', '[1]', '{}', '{"a":1}', '[[[]]]', '{"a":{"b":{}}}'] as const;
const NAMES = [
  'supply_voltage',
  'rssi',
  'a',
  'z9',
  'a_',
  'x'.repeat(48),
  'x'.repeat(49),
  'A',
  'Rssi',
  '9a',
  '_a',
  'a-b',
  'a b',
  '',
  'ä',
  '__proto__',
  'constructor',
  'toString',
  'a\n',
  '\na',
  'hasOwnProperty',
  '0',
  '1',
  'a.b',
] as const;

function numberText(r: Rand): string {
  if (r() < 0.2) return pick(r, NUMBER_TEXTS);
  const n = Math.floor(r() * 2_000_000_000_000) - (r() < 0.1 ? 1_000_000 : 0);
  return r() < 0.1 ? `${n / 1000}` : `${n}`;
}

function valueText(r: Rand): string {
  return r() < 0.8 ? numberText(r) : pick(r, JUNK);
}

function metricsText(r: Rand): string {
  const roll = r();
  if (roll < 0.05) return pick(r, JUNK);
  const count =
    roll < 0.15 ? pick(r, [0, 1, MAX_METRICS_PER_MESSAGE - 1, MAX_METRICS_PER_MESSAGE, MAX_METRICS_PER_MESSAGE + 1, 100]) : 1 + Math.floor(r() * 10);
  const entries: string[] = [];
  for (let i = 0; i < count; i++) {
    // Mostly valid, distinct names, so the count boundaries are really reached.
    const name = r() < 0.9 ? `m${i}_${Math.floor(r() * 10)}` : pick(r, NAMES);
    const value = r() < 0.9 ? numberText(r) : pick(r, JUNK);
    entries.push(`${JSON.stringify(name)}:${value}`);
  }
  // Now and then a repeated key: JSON.parse keeps the last.
  if (entries.length > 0 && r() < 0.05) entries.push(entries[0]!.replace(/:.*$/, `:${valueText(r)}`));
  return `{${entries.join(',')}}`;
}

function payloadText(r: Rand): string {
  const roll = r();
  if (roll < 0.03) return pick(r, JUNK);
  const fields: string[] = [];
  if (r() > 0.05) fields.push(`"ts":${r() < 0.85 ? numberText(r) : valueText(r)}`);
  if (r() > 0.05) fields.push(`"seq":${r() < 0.85 ? numberText(r) : valueText(r)}`);
  if (r() > 0.05) fields.push(`"metrics":${metricsText(r)}`);
  // Extra keys zod strips, including ones that look like the real ones.
  if (r() < 0.2)
    fields.push(`${JSON.stringify(pick(r, ['extra', 'TS', 'Metrics', '__proto__', 'constructor']))}:${r() < 0.5 ? valueText(r) : metricsText(r)}`);
  for (let i = fields.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [fields[i], fields[j]] = [fields[j]!, fields[i]!];
  }
  return `{${fields.join(',')}}`;
}

/** Every difference between the hand-written check and zod over `texts`, described. */
function disagreements(texts: Iterable<string>): string[] {
  const out: string[] = [];
  for (const text of texts) {
    const zod = TelemetryPayload.safeParse(JSON.parse(text));
    const ours = checkTelemetryPayload(JSON.parse(text));
    if (zod.success !== (ours !== null)) out.push(`${text}: zod ${zod.success ? 'accepts' : 'rejects'}, the check disagrees`);
    else if (zod.success) {
      try {
        expect(ours).toStrictEqual(zod.data);
      } catch {
        out.push(`${text}: output differs from zod's`);
      }
    }
  }
  return out;
}

function* generated(seed: number, n: number): Generator<string> {
  const r = random(seed);
  for (let i = 0; i < n; i++) yield payloadText(r);
}

describe('the hand-written telemetry check against the zod contract', () => {
  it('agrees with zod on verdict and output for 20,000 generated payloads', () => {
    expect(disagreements(generated(13, 20_000))).toEqual([]);
  });

  it('generates both accepted and refused payloads, so the agreement means something', () => {
    let accepted = 0;
    for (const text of generated(13, 20_000)) if (TelemetryPayload.safeParse(JSON.parse(text)).success) accepted++;
    expect(accepted).toBeGreaterThan(2000);
    expect(accepted).toBeLessThan(18000);
  });

  it('agrees with zod at the boundaries', () => {
    const metrics = (n: number) => `{${Array.from({ length: n }, (_, i) => `"m${i}":${i}`).join(',')}}`;
    const cases = [
      `{"ts":0,"seq":0,"metrics":${metrics(1)}}`,
      `{"ts":1,"seq":1,"metrics":${metrics(MAX_METRICS_PER_MESSAGE)}}`,
      `{"ts":1,"seq":1,"metrics":${metrics(MAX_METRICS_PER_MESSAGE + 1)}}`,
      `{"ts":1,"seq":1,"metrics":{}}`,
      `{"ts":-0,"seq":-0,"metrics":{"a":-0}}`,
      `{"ts":-1,"seq":1,"metrics":{"a":1}}`,
      `{"ts":1.5,"seq":1,"metrics":{"a":1}}`,
      `{"ts":9007199254740991,"seq":1,"metrics":{"a":1}}`,
      `{"ts":9007199254740992,"seq":1,"metrics":{"a":1}}`,
      `{"ts":1,"seq":1,"metrics":{"a":1e308}}`,
      `{"ts":1,"seq":1,"metrics":{"a":1e309}}`,
      `{"ts":1,"seq":1,"metrics":{"a":"NaN"}}`,
      `{"ts":1,"seq":1,"metrics":{"a":null}}`,
      `{"ts":"1","seq":1,"metrics":{"a":1}}`,
      `{"ts":1,"seq":1,"metrics":[1]}`,
      `{"ts":1,"seq":1,"metrics":null}`,
      `{"ts":1,"seq":1,"metrics":{"a":1},"extra":{"deep":[1,2,{"x":null}]}}`,
      `{"ts":1,"seq":1,"metrics":{"${'a'.repeat(48)}":1}}`,
      `{"ts":1,"seq":1,"metrics":{"${'a'.repeat(49)}":1}}`,
      `{"ts":1,"seq":1,"metrics":{"__proto__":1}}`,
      `{"ts":1,"seq":1,"metrics":{"a":1,"a":"x"}}`,
      `{"ts":1,"seq":1,"metrics":{"a":"x","a":1}}`,
      `{"__proto__":{"ts":1},"seq":1,"metrics":{"a":1}}`,
      `[{"ts":1,"seq":1,"metrics":{"a":1}}]`,
      'null',
      '1',
      '"telemetry"',
    ];
    expect(disagreements(cases)).toEqual([]);
  });

  it('strips keys the contract does not name, as zod does', () => {
    expect(checkTelemetryPayload(JSON.parse('{"ts":5,"seq":6,"metrics":{"rssi":-70},"fw":"1.2"}'))).toStrictEqual({
      ts: 5,
      seq: 6,
      metrics: { rssi: -70 },
    });
  });
});
