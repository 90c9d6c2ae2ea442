import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The checkout's root, the folder of package.json. Files that are not code (the dashboard, docs/)
 * are read from there rather than at a fixed `../..` from a module: the same module runs from
 * `services/…` (tsx, vitest) and from `dist/services/…` (npm start), at different depths, and the
 * build copies only the data files that sit beside the code (scripts/build.mjs).
 */
export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** Where `npm run build` writes (tsconfig.build.json's outDir). */
export const BUILD_DIR = join(PROJECT_ROOT, 'dist');

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** The compiled counterpart of one of this checkout's source files: `bench/run.ts` → `dist/bench/run.js`. */
export function compiledFile(source: string, buildDir = BUILD_DIR): string {
  return join(buildDir, relative(PROJECT_ROOT, source)).replace(/\.ts$/, '.js');
}
