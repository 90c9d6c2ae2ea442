import { readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../services/platform/project-root.ts';

/** The machine a figure was measured on, for the line every section starts with. */
export function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown';
  return `${cpus().length} cores (${cpu}), ${(totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, Node ${process.version}, ${process.platform} ${process.arch}`;
}

/**
 * Writes one benchmark's section of BENCHMARKS.md between its own markers (the section text
 * starts with `start` and ends with `end`), keeping everything else, other benchmarks' sections
 * and text written by hand, as it is. A section not there yet is appended.
 */
export async function writeSection(start: string, end: string, section: string): Promise<void> {
  // From the root, not beside this file: the triage benchmark runs compiled, from dist/bench/.
  const path = join(PROJECT_ROOT, 'BENCHMARKS.md');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    text = '';
  }
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from >= 0 && to > from) text = text.slice(0, from) + section + text.slice(to + end.length);
  else if (text) text = `${text.trimEnd()}\n\n${section}\n`;
  else text = `# Benchmarks\n\nFigures from \`npm run bench\` and its siblings on this project's machine.\n\n${section}\n`;
  await writeFile(path, text);
}
