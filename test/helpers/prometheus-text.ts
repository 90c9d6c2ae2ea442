import { expect } from 'vitest';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  types: Map<string, string>;
  samples: Sample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE_LINE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: -?\\d+)?$`);
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\\\|\\"|\\n)*)"(?:,|$)/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
/** Sample names a family of each type may use (the exposition format's suffixes). */
const SUFFIXES: Record<string, string[]> = { histogram: ['_bucket', '_sum', '_count'], summary: ['', '_sum', '_count'] };

/**
 * The Prometheus text exposition format (version 0.0.4), strictly: HELP and TYPE lines once
 * per family and before its samples, each sample of a declared family, labels quoted and
 * escaped, values floats or ±Inf/NaN. Throws on the first line that breaks it.
 */
export function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  const familyOf = (name: string) => {
    for (const [family, type] of types) {
      if ((SUFFIXES[type] ?? ['']).some((suffix) => name === family + suffix)) return family;
    }
    return null;
  };
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string];
      expect(name).toMatch(new RegExp(`^${NAME}$`));
      if (kind === 'TYPE') {
        if (types.has(name) || !TYPES.has(rest)) throw new Error(`bad TYPE line: ${line}`);
        types.set(name, rest);
      }
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = SAMPLE_LINE.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const [, name, labelText = '', valueText] = m as unknown as [string, string, string | undefined, string];
    if (familyOf(name) === null) throw new Error(`sample of an undeclared family: ${line}`);
    const labels: Record<string, string> = {};
    let rest = labelText;
    while (rest !== '') {
      const l = LABEL.exec(rest);
      if (!l) throw new Error(`bad labels: ${line}`);
      labels[l[1]!] = l[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
      rest = rest.slice(l[0].length);
    }
    const value = parseValue(valueText);
    if (value === null) throw new Error(`bad value: ${line}`);
    samples.push({ name, labels, value });
  }
  return { types, samples };
}

/**
 * A sample value as Prometheus reads it (Go's strconv.ParseFloat): a decimal float, or Inf,
 * Infinity and NaN in any case with an optional sign (prom-client writes NaN as `Nan`).
 */
function parseValue(text: string): number | null {
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(text);
  if (special) return special[2]!.toLowerCase() === 'nan' ? Number.NaN : special[1] === '-' ? -Infinity : Infinity;
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : null;
}

/** The value of one sample; 0 when absent (a counter not yet moved). */
export function sampleValue(e: Exposition, name: string, labels: Record<string, string> = {}): number {
  const s = e.samples.find((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v));
  return s?.value ?? 0;
}
