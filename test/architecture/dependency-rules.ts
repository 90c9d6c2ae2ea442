import type { ImportGraph } from './import-graph.ts';

/*
 * The dependency rule of docs/architecture.md as a pure function over an import graph:
 * imports point inward and down. The test next to it runs it on the real code.
 */

const AREAS = ['edge', 'after-sales', 'remote-support', 'platform'] as const;
const LAYERS = ['domain', 'store', 'api'] as const;
/**
 * Packages a pure domain may use: functions of their arguments, with no I/O, no clock and no
 * randomness (validation, CSV text, password scoring against built-in dictionaries).
 */
const DOMAIN_PACKAGES = ['zod', 'csv-parse', 'csv-stringify', '@zxcvbn-ts/core', '@zxcvbn-ts/language-common', '@zxcvbn-ts/language-en'];
/**
 * Cores written once to be built on by several capabilities (the RMA and platform ticket
 * processes share their state-machine core): any capability may use them, a domain their domain.
 */
const SHARED_CORES = ['after-sales/ticket-core'];
/** The one place that wires everything together; it may import anything. */
const COMPOSITION = ['services/app.ts', 'services/main.ts', 'services/after-sales/compose-after-sales.ts'];

export type Place =
  | { kind: 'kernel' }
  | { kind: 'contract' }
  | { kind: 'composition' }
  | { kind: 'package'; name: string }
  | { kind: 'capability'; name: string; layer: 'domain' | 'store' | 'api' | 'service'; publicFace: boolean }
  | { kind: 'other' };

/** Where a file or package sits in the layout. */
export function placeOf(file: string): Place {
  if (!file.includes('/') || file.startsWith('node:') || file.startsWith('@')) return { kind: 'package', name: file };
  if (COMPOSITION.includes(file)) return { kind: 'composition' };
  const parts = file.split('/');
  if (parts[0] === 'broker') return { kind: 'capability', name: 'broker', layer: 'service', publicFace: true };
  if (parts[0] !== 'services') return { kind: 'other' };
  if (parts[1] === 'kernel') return { kind: 'kernel' };
  if (parts[1] === 'contract') return { kind: 'contract' };
  const area = parts[1] as (typeof AREAS)[number];
  if (!AREAS.includes(area)) return { kind: 'other' };
  // A file directly in an area folder (platform/config.ts) is a capability of one file.
  if (parts.length === 3) return { kind: 'capability', name: `${area}/${parts[2]!.replace(/\.\w+$/, '')}`, layer: 'service', publicFace: true };
  const layer = (LAYERS as readonly string[]).includes(parts[3]!) ? (parts[3] as (typeof LAYERS)[number]) : 'service';
  return { kind: 'capability', name: `${area}/${parts[2]}`, layer, publicFace: parts.length === 4 && parts[3] === 'index.ts' };
}

export interface Violation {
  rule: 'domain-purity' | 'kernel-independence' | 'contract-independence' | 'capability-boundary' | 'cycle';
  /** Stable text, as it is listed among the known debts. */
  key: string;
}

function edgeViolation(from: string, to: string): Violation['rule'] | null {
  const a = placeOf(from);
  const b = placeOf(to);
  if (a.kind === 'kernel')
    return b.kind === 'kernel' || b.kind === 'contract' || (b.kind === 'package' && (b.name === 'zod' || b.name.startsWith('node:')))
      ? null
      : 'kernel-independence';
  if (a.kind === 'contract') return b.kind === 'contract' || (b.kind === 'package' && b.name === 'zod') ? null : 'contract-independence';
  if (a.kind !== 'capability') return null;
  if (a.layer === 'domain') {
    const ok =
      b.kind === 'kernel' ||
      b.kind === 'contract' ||
      (b.kind === 'package' && DOMAIN_PACKAGES.includes(b.name)) ||
      (b.kind === 'capability' && (b.name === a.name || SHARED_CORES.includes(b.name)) && b.layer === 'domain');
    if (!ok) return 'domain-purity';
  }
  if (b.kind === 'composition') return 'capability-boundary';
  if (b.kind === 'capability' && b.name !== a.name && !b.publicFace && !SHARED_CORES.includes(b.name)) return 'capability-boundary';
  return null;
}

/** Strongly connected components of more than one file (Tarjan), each sorted. */
function cycles(graph: ImportGraph): string[][] {
  const next = new Map<string, string[]>();
  for (const e of graph) if (e.to.includes('/')) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) found.push(scc.sort());
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** Every break of the dependency rule in the graph. */
export function findViolations(graph: ImportGraph): Violation[] {
  const out: Violation[] = [];
  const seen = new Set<string>();
  for (const e of graph) {
    const rule = edgeViolation(e.from, e.to);
    const key = `${rule}: ${e.from} -> ${e.to}`;
    if (rule && !seen.has(key)) {
      seen.add(key);
      out.push({ rule, key });
    }
  }
  for (const c of cycles(graph)) out.push({ rule: 'cycle', key: `cycle: ${c.join(', ')}` });
  return out;
}
