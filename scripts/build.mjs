#!/usr/bin/env node
// `npm run build`: compiles the TypeScript into dist/ (tsconfig.build.json) and copies beside it
// every other file of the compiled folders, so that a module reading a neighbour through
// `new URL('./x.json', import.meta.url)` finds it in dist/ exactly as in the sources.
// Plain JavaScript, so it runs before anything is compiled and on any OS.
//
// `node scripts/build.mjs [outDir]`: another output folder (the compiled-start test builds into
// a temporary one). It must lie inside this checkout: the compiled modules are ES modules only
// because the root package.json says "type": "module", and they find the dashboard and docs/ by
// walking up to it (services/platform/project-root.ts).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// The folders tsconfig.build.json compiles.
const SOURCE_DIRS = ['services', 'broker', 'device-sim', 'tunnel-proxy', 'bench'];
const NOT_COPIED = /\.(ts|md)$/;

const outDir = resolve(ROOT, process.argv[2] ?? 'dist');
if (relative(ROOT, outDir).startsWith('..')) {
  console.error(`build: ${outDir} is outside ${ROOT}`);
  process.exit(2);
}

// `tsc -b` compares timestamps against its build info first, so a rebuild with nothing changed
// takes about a second (prestart runs it before every start).
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const config = join(ROOT, 'tsconfig.build.json');
// -b takes no --outDir: another folder is built with -p, as incremental, its build info inside it.
const args = process.argv[2] ? [tsc, '-p', config, '--outDir', outDir, '--tsBuildInfoFile', join(outDir, '.tsbuildinfo')] : [tsc, '-b', config];
const result = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: ROOT });
if (result.status !== 0) process.exit(result.status ?? 1);

let copied = 0;
for (const dir of SOURCE_DIRS) copied += copyAssets(join(ROOT, dir), join(outDir, dir));
console.log(`build: compiled into ${relative(ROOT, outDir) || '.'}, ${copied} other files copied`);

function copyAssets(from, to) {
  let n = 0;
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const src = join(from, entry.name);
    if (entry.isDirectory()) n += copyAssets(src, join(to, entry.name));
    else if (entry.isFile() && !NOT_COPIED.test(entry.name)) {
      mkdirSync(to, { recursive: true });
      copyFileSync(src, join(to, entry.name));
      n++;
    }
  }
  return n;
}
