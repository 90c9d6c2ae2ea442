import type { z } from 'zod';

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  return out;
}

/**
 * Parses calendar JSON wherever it is kept; errors start with `where` and name every bad
 * field, because an admin fixes it by hand.
 */
export function parseCalendarJson<T>(text: string, schema: z.ZodType<T>, where: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${where}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${formatPath(i.path) || '(root)'}: ${i.message}`);
    throw new Error(`${where}: ${problems.join('; ')}`);
  }
  return parsed.data;
}
