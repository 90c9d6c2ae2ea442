import { MAX_METRICS_PER_MESSAGE, METRIC_NAME, type TelemetryPayload } from './payloads.ts';

/**
 * The `TelemetryPayload` schema checked by hand, for the one payload that arrives at full
 * rate: zod's safeParse allocates a context, issue lists and a copy of every level per call,
 * which was a fifth of the broker thread's time at 100 boxes (BENCHMARKS.md). The zod schema
 * stays the contract: `telemetry-check.test.ts` holds this check to zod's verdict and output
 * over thousands of generated payloads, and a rejection's wording still comes from zod.
 *
 * Returns what `TelemetryPayload.parse` would (unknown keys stripped), or null where zod
 * would fail. The metrics object of the input is returned as is, not copied: the parsed JSON
 * is owned by the caller and zod's copy of it would be equal.
 */
export function checkTelemetryPayload(value: unknown): TelemetryPayload | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { ts, seq, metrics } = value as { ts?: unknown; seq?: unknown; metrics?: unknown };
  if (!isEpochMs(ts) || !isEpochMs(seq) || typeof metrics !== 'object' || metrics === null || Array.isArray(metrics)) return null;
  const checked = checkMetrics(metrics as Record<string, unknown>);
  if (checked === INVALID) return null;
  return { ts, seq, metrics: checked === VALID ? (metrics as Record<string, number>) : withoutProto(metrics as Record<string, number>) };
}

// z.number().int().nonnegative(): zod 4's int is a safe integer; -0 passes, as in zod.
function isEpochMs(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

const VALID = 0;
const INVALID = 1;
const VALID_WITH_PROTO = 2;

// zod's record skips an own "__proto__" key (JSON.parse makes one) without checking or
// counting it, and leaves it out of its output.
function checkMetrics(metrics: Record<string, unknown>): number {
  let count = 0;
  let proto = false;
  for (const name in metrics) {
    if (name === '__proto__') {
      proto = true;
      continue;
    }
    const reading = metrics[name];
    if (typeof reading !== 'number' || !Number.isFinite(reading) || !METRIC_NAME.test(name)) return INVALID;
    count++;
  }
  if (count === 0 || count > MAX_METRICS_PER_MESSAGE) return INVALID;
  return proto ? VALID_WITH_PROTO : VALID;
}

function withoutProto(metrics: Record<string, number>): Record<string, number> {
  const copy: Record<string, number> = {};
  for (const name in metrics) if (name !== '__proto__') copy[name] = metrics[name]!;
  return copy;
}
