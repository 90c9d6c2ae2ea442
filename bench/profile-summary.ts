import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/**
 * `npx tsx bench/profile-summary.ts <file.cpuprofile> [--from S] [--to S] [--top N]`: where a
 * `npm run bench -- --cpu-prof DIR` backend spent its CPU, as a share of busy (non-idle) time:
 * self time per package or project directory, self time per function, and inclusive time
 * (the function or anything it called). --from/--to pick seconds since the profile started.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values: o, positionals } = parseArgs({
  allowPositionals: true,
  options: { from: { type: 'string', default: '0' }, to: { type: 'string', default: '1e9' }, top: { type: 'string', default: '20' } },
});
const file = positionals[0];
if (!file) {
  console.error('usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [--from S] [--to S] [--top N]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

function where(url: string): string {
  if (!url) return '(native / VM)';
  if (url.startsWith('node:')) return url.split('/')[0]!;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const project = /\/(broker|services|bench|device-sim)\/(.*)$/.exec(url);
  return project ? `${project[1]}/${project[2]}` : url;
}

const nameOf = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'}  ${where(n.callFrame.url)}`;
const NOT_WORK = new Set(['(idle)', '(program)']);

const self = new Map<string, number>();
const inclusive = new Map<string, number>();
const byPlace = new Map<string, number>();
let busyUs = 0;
let at = 0;
const [fromUs, toUs] = [Number(o.from) * 1e6, Number(o.to) * 1e6];
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  at += dt;
  const node = byId.get(id)!;
  if (at < fromUs || at > toUs || NOT_WORK.has(node.callFrame.functionName)) return;
  busyUs += dt;
  const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + dt);
  add(self, nameOf(node));
  const place = where(node.callFrame.url);
  add(byPlace, place.startsWith('node:') || place.startsWith('(') ? place : place.split('/').slice(0, 2).join('/'));
  const onStack = new Set<string>();
  for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) onStack.add(nameOf(byId.get(n)!));
  for (const k of onStack) add(inclusive, k);
});

function print(title: string, m: Map<string, number>): void {
  console.log(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(o.top))) {
    console.log(`${((us / busyUs) * 100).toFixed(1).padStart(5)}%  ${k}`);
  }
}

console.log(`${file}: ${(at / 1e6).toFixed(1)} s profiled, ${(busyUs / 1e6).toFixed(1)} s busy in [${o.from}, ${o.to}] s`);
print('Self time by package / directory', byPlace);
print('Self time by function', self);
print('Inclusive time by function', inclusive);
