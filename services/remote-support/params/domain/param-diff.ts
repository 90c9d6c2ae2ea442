import type { ParamSet, ParamValue } from '../../../contract/payloads.ts';

export interface ParamChange {
  from: ParamValue;
  to: ParamValue;
}

/** What differs between two parameter sets, keyed by parameter name. */
export interface ParamDiff {
  /** In the second set only, with its value there. */
  added: Record<string, ParamValue>;
  /** In the first set only, with its value there. */
  removed: Record<string, ParamValue>;
  changed: Record<string, ParamChange>;
}

export interface GroupDiff extends ParamDiff {
  counts: { added: number; removed: number; changed: number };
}

/**
 * How to get from `a` to `b`. Values are compared strictly: `9600` and `"9600"` differ,
 * because the box types its parameters.
 */
export function diffParams(a: Readonly<ParamSet>, b: Readonly<ParamSet>): ParamDiff {
  const diff: ParamDiff = { added: {}, removed: {}, changed: {} };
  for (const name of Object.keys(a).sort()) {
    const from = a[name]!;
    if (!Object.hasOwn(b, name)) diff.removed[name] = from;
    else if (b[name] !== from) diff.changed[name] = { from, to: b[name]! };
  }
  for (const name of Object.keys(b).sort()) if (!Object.hasOwn(a, name)) diff.added[name] = b[name]!;
  return diff;
}

/** `plc.baud` → `plc` (docs/protocol.md: the group is the first segment). */
export function groupOf(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(0, dot);
}

/** The same diff split by parameter group, with counts, for a reviewer to read group by group. */
export function groupDiff(diff: ParamDiff): Record<string, GroupDiff> {
  const groups: Record<string, GroupDiff> = {};
  const groupFor = (name: string): GroupDiff =>
    (groups[groupOf(name)] ??= { added: {}, removed: {}, changed: {}, counts: { added: 0, removed: 0, changed: 0 } });
  for (const kind of ['added', 'removed', 'changed'] as const) {
    for (const [name, entry] of Object.entries(diff[kind])) {
      const g = groupFor(name);
      (g[kind] as Record<string, unknown>)[name] = entry;
      g.counts[kind] += 1;
    }
  }
  return Object.fromEntries(
    Object.keys(groups)
      .sort()
      .map((k) => [k, groups[k]!]),
  );
}
