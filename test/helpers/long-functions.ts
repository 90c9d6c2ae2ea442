import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface LongFunction {
  /** Path relative to the root the scan started from, with `/` separators. */
  file: string;
  /** Name as written, or the variable, property or method it is assigned to; `<anonymous>` otherwise. */
  name: string;
  /** 1-based line of the function's first token. */
  line: number;
  /** Lines from the first token to the last, both included. */
  lines: number;
}

function nameOf(node: ts.FunctionLikeDeclaration, source: ts.SourceFile): string {
  if (node.name) return node.name.getText(source);
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) return parent.name.getText(source);
  return '<anonymous>';
}

function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

/** Every function, arrow function, method or accessor in the text longer than `limit` lines, nested ones included. */
export function longFunctionsIn(text: string, file: string, limit: number): LongFunction[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: LongFunction[] = [];
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node)) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = last - first + 1;
      if (lines > limit) found.push({ file, name: nameOf(node, source), line: first + 1, lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Source files (.ts, not .d.ts, not tests) under `dir`. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => path.join(e.parentPath, e.name));
}

/** Long functions in the non-test TypeScript files under each of `dirs` (relative to `root`). */
export function longFunctionsUnder(root: string, dirs: readonly string[], limit: number): LongFunction[] {
  return dirs.flatMap((dir) =>
    sourceFiles(path.join(root, dir)).flatMap((file) =>
      longFunctionsIn(readFileSync(file, 'utf8'), path.relative(root, file).split(path.sep).join('/'), limit),
    ),
  );
}
