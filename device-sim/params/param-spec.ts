import type { ParamValue } from '../../services/contract/payloads.ts';

/**
 * What the firmware accepts for one parameter. `params.set` checks every change against
 * its parameter's spec before applying any, so the answer can name each refused one.
 */
export type ParamSpec = ParamRule & {
  /** Reported masked, as the firmware's web page does; see `SECRET_MASK`. */
  secret?: boolean;
};

export type ParamRule =
  | { kind: 'enum'; values: readonly (string | number)[] }
  | { kind: 'int'; min: number; max: number }
  | { kind: 'number'; min: number; max: number }
  | { kind: 'bool' }
  | { kind: 'text'; maxLength: number; pattern?: RegExp; hint?: string }
  | { kind: 'ipv4' }
  /** Modbus station (slave) addresses as a comma-separated string, e.g. "1,2,17". */
  | { kind: 'stations'; maxCount: number };

/** What `params.get` shows for a secret that is set; writing it back keeps the secret. */
export const SECRET_MASK = '******';

/** Modbus serial line: 0 is broadcast, 248–255 are reserved (Modbus over serial line V1.02, 2.2). */
export const STATION_MIN = 1;
export const STATION_MAX = 247;

export const spec = {
  enumOf: (values: readonly (string | number)[]): ParamSpec => ({ kind: 'enum', values }),
  int: (min: number, max: number): ParamSpec => ({ kind: 'int', min, max }),
  number: (min: number, max: number): ParamSpec => ({ kind: 'number', min, max }),
  bool: (): ParamSpec => ({ kind: 'bool' }),
  text: (maxLength: number, pattern?: RegExp, hint?: string): ParamSpec => ({
    kind: 'text',
    maxLength,
    ...(pattern ? { pattern } : {}),
    ...(hint ? { hint } : {}),
  }),
  ipv4: (): ParamSpec => ({ kind: 'ipv4' }),
  stations: (maxCount: number): ParamSpec => ({ kind: 'stations', maxCount }),
  secret: (s: ParamSpec): ParamSpec => ({ ...s, secret: true }),
};

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Why `value` is not acceptable for a parameter with this spec, or undefined when it is. */
export function checkParam(rule: ParamRule, value: unknown): string | undefined {
  switch (rule.kind) {
    case 'enum':
      return rule.values.includes(value as string | number) ? undefined : `must be one of ${rule.values.join(', ')}`;
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) && value >= rule.min && value <= rule.max
        ? undefined
        : `must be an integer from ${rule.min} to ${rule.max}`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && value >= rule.min && value <= rule.max
        ? undefined
        : `must be a number from ${rule.min} to ${rule.max}`;
    case 'bool':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'text':
      if (typeof value !== 'string') return 'must be text';
      if (value.length > rule.maxLength) return `must be at most ${rule.maxLength} characters`;
      return rule.pattern && !rule.pattern.test(value) ? (rule.hint ?? `must match ${rule.pattern.source}`) : undefined;
    case 'ipv4':
      return typeof value === 'string' && IPV4.test(value) ? undefined : 'must be an IPv4 address like 192.168.1.10';
    case 'stations':
      return typeof value === 'string' && parseStations(value, rule.maxCount)
        ? undefined
        : `must be 1 to ${rule.maxCount} distinct station addresses ${STATION_MIN}–${STATION_MAX}, comma-separated`;
  }
}

/** "1, 2,17" → [1, 2, 17]; undefined when any entry is not a distinct address in range. */
export function parseStations(text: string, maxCount = STATION_MAX): number[] | undefined {
  const entries = text.split(',').map((s) => s.trim());
  if (entries.length === 0 || entries.length > maxCount) return undefined;
  const addresses = entries.map((s) => (/^\d{1,3}$/.test(s) ? Number(s) : NaN));
  if (addresses.some((a) => !(a >= STATION_MIN && a <= STATION_MAX))) return undefined;
  return new Set(addresses).size === addresses.length ? addresses : undefined;
}

/** The value as `params.get` reports it. */
export function reportedValue(s: ParamSpec, value: ParamValue): ParamValue {
  return s.secret && value !== '' ? SECRET_MASK : value;
}
