import { z } from 'zod';

// Date, optional time; a time needs a zone (Z or ±hh:mm), since a bare local time would
// mean whatever zone the server happens to run in.
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;
const DURATION = /^(\d{1,12})(ms|s|m|h|d)?$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

function parseInstant(text: string): number | null {
  if (/^\d{1,15}$/.test(text)) return Number(text);
  const m = ISO_8601.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Date.parse rolls 2025-02-30 over into March; refuse it instead.
  if (mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

/** A query-string instant: epoch milliseconds or ISO 8601 (`2025-01-31`, `2025-01-31T08:00:00Z`). */
export const Instant = z
  .string()
  .describe('epoch milliseconds or ISO 8601, e.g. 2025-01-31T08:00:00Z')
  .transform((text, ctx) => {
    const ms = parseInstant(text);
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: 'expected epoch milliseconds or an ISO 8601 date-time with zone' });
      return z.NEVER;
    }
    return ms;
  });

/** A query-string duration: `60s`, `5m`, `1h`, `1d`, or plain milliseconds. */
export const Duration = z
  .string()
  .describe('a duration such as 60s, 5m, 1h, 1d, or milliseconds')
  .transform((text, ctx) => {
    const m = DURATION.exec(text);
    const ms = m ? Number(m[1]) * UNIT_MS[(m[2] ?? 'ms') as keyof typeof UNIT_MS] : 0;
    if (ms <= 0) {
      ctx.addIssue({ code: 'custom', message: 'expected a positive duration such as 60s, 5m, 1h or milliseconds' });
      return z.NEVER;
    }
    return ms;
  });

/** A query-string whole number within bounds. */
export function intParam(min: number, max: number) {
  return z
    .string()
    .regex(/^\d{1,9}$/, 'expected a whole number')
    .describe(`a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}

/** A query-string boolean, spelled `true` or `false`. */
export const BoolParam = z.enum(['true', 'false']).transform((v) => v === 'true');
