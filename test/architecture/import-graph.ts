import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** One import of one file: a repo-relative file path, or a package name for bare specifiers. */
export interface ImportEdge {
  from: string;
  to: string;
  /** `import type` / `export type`: erased at run time, but still a dependency of the design. */
  typeOnly: boolean;
}

export type ImportGraph = ImportEdge[];

const SOURCE = /\.(ts|mts|mjs)$/;

function walk(root: string, dir: string, out: string[]): void {
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, entry.name);
    // Test kits (test-support/) are for the tests next to them, like the tests themselves.
    if (entry.isDirectory()) {
      if (entry.name !== 'test-support') walk(root, rel, out);
    }
    // Tests sit next to the code they test and may reach anywhere; the rules are about the product.
    else if (SOURCE.test(entry.name) && !entry.name.endsWith('.test.ts')) out.push(rel);
  }
}

function packageOf(specifier: string): string {
  if (specifier.startsWith('node:')) return specifier;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Every static import and re-export of the source files under `dirs`, read with the TypeScript parser. */
export function readImportGraph(root: string, dirs: readonly string[]): ImportGraph {
  const files: string[] = [];
  for (const dir of dirs) walk(root, dir, files);
  const edges: ImportGraph = [];
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(path.join(root, file), 'utf8'), ts.ScriptTarget.Latest, false);
    for (const statement of source.statements) {
      let specifier: ts.Expression | undefined;
      let typeOnly = false;
      if (ts.isImportDeclaration(statement)) {
        specifier = statement.moduleSpecifier;
        typeOnly = statement.importClause?.isTypeOnly ?? false;
      } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier) {
        specifier = statement.moduleSpecifier;
        typeOnly = statement.isTypeOnly;
      }
      if (!specifier || !ts.isStringLiteral(specifier)) continue;
      const text = specifier.text;
      const to = text.startsWith('.') ? path.posix.normalize(path.posix.join(path.posix.dirname(file), text)) : packageOf(text);
      edges.push({ from: file, to, typeOnly });
    }
  }
  return edges;
}
