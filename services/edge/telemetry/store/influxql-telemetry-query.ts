import { z } from 'zod';
import { AppError } from '../../../kernel/app-error.ts';
import { TELEMETRY_ERRORS } from '../domain/errors.ts';
import { fieldFor, MEASUREMENT, SERIAL_TAG } from '../domain/influx-line-protocol.ts';
import type { TelemetryQuery, TelemetryReader, TelemetrySample } from '../domain/telemetry-port.ts';

export interface InfluxQlReaderOptions {
  /** Where `/query` is served, e.g. http://influxdb:8086 (a path prefix behind a proxy is kept). */
  url: string;
  /** An API token (InfluxDB 2.x, 3.x), or `user:password` for InfluxDB 1.8 with authentication. */
  token: string;
  /** The v1 database: on InfluxDB 2.x, a DBRP mapping to the bucket. */
  database: string;
  retentionPolicy?: string;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

// InfluxDB keeps nanoseconds in an int64: no point lies outside ±2^63 ns, and a bound beyond it
// overflows, so the WHERE bounds are clamped to it (the bucket offset still comes from `from`).
const MAX_TIME_MS = 9_223_372_036_854;

// InfluxQL's quoted identifiers and strings take the same escapes; a raw newline ends the
// statement, so it travels as \n (influxql.QuoteIdent / QuoteString do the same).
const escapeIn = (text: string, quote: string) => text.replace(new RegExp(`[\\\\${quote}\\n]`, 'g'), (c) => (c === '\n' ? '\\n' : `\\${c}`));
const ident = (name: string) => `"${escapeIn(name, '"')}"`;
const literal = (text: string) => `'${escapeIn(text, "'")}'`;
const clamp = (ms: number) => Math.min(MAX_TIME_MS, Math.max(-MAX_TIME_MS, ms));

/**
 * The InfluxQL statement answering `q` the way the SQLite store does (telemetry-query.ts):
 * selecting the one field returns only the points that have it, so the limit counts those; and
 * buckets start at `from` + k·step, which GROUP BY time gets from an offset of `from` mod step
 * (without it, buckets align to the epoch and the first one may start before `from`).
 */
export function influxQlFor(q: TelemetryQuery): string {
  const field = ident(fieldFor(q.metric));
  const where = `WHERE ${ident(SERIAL_TAG)} = ${literal(q.serial)} AND time >= ${clamp(q.from)}ms AND time <= ${clamp(q.to)}ms`;
  const from = `FROM ${ident(MEASUREMENT)} ${where}`;
  if (q.stepMs === undefined) return `SELECT ${field} AS "value" ${from} ORDER BY time ASC LIMIT ${q.limit}`;
  const offset = ((q.from % q.stepMs) + q.stepMs) % q.stepMs;
  const aggregates = `mean(${field}) AS "value", min(${field}) AS "min", max(${field}) AS "max", count(${field}) AS "count"`;
  // fill(none) leaves out empty buckets before LIMIT counts, as SQLite's GROUP BY does.
  return `SELECT ${aggregates} ${from} GROUP BY time(${q.stepMs}ms, ${offset}ms) fill(none) LIMIT ${q.limit}`;
}

/** The `/query` answer (JSON, one result per statement); an error may come at either level. */
const QueryAnswer = z.object({
  error: z.string().optional(),
  results: z
    .array(
      z.object({
        error: z.string().optional(),
        partial: z.boolean().optional(),
        series: z
          .array(
            z.object({
              columns: z.array(z.string()),
              values: z.array(z.array(z.union([z.number(), z.string(), z.boolean(), z.null()]))).default([]),
              partial: z.boolean().optional(),
            }),
          )
          .default([]),
      }),
    )
    .default([]),
});

const RawRow = z.object({ time: z.number().int(), value: z.number() });
const BucketRow = z.object({ time: z.number().int(), value: z.number(), min: z.number(), max: z.number(), count: z.number().int() });

const unavailable = (reason: string) => new AppError(TELEMETRY_ERRORS.TELEMETRY_STORE_UNAVAILABLE, { reason });

/** Why fetch failed, in a few words: no answer in time, or the connection's error code. */
function fetchFailure(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && err.name === 'TimeoutError') return `InfluxDB did not answer within ${timeoutMs} ms`;
  // fetch reports "fetch failed"; the socket's reason (ECONNREFUSED, ENOTFOUND, …) is its cause.
  const cause = err instanceof Error ? err.cause : undefined;
  const code = cause instanceof Error ? ((cause as { code?: string }).code ?? cause.message) : String(err);
  return `InfluxDB cannot be reached: ${code}`;
}

/** The rows of the one statement's one series, each as an object keyed by column. */
function rowsOf(body: unknown): Record<string, unknown>[] {
  const parsed = QueryAnswer.safeParse(body);
  if (!parsed.success) throw unavailable(`InfluxDB's answer is not a /query result: ${parsed.error.issues[0]?.message}`);
  const answer = parsed.data;
  if (answer.error !== undefined) throw unavailable(`InfluxDB: ${answer.error}`);
  const result = answer.results[0];
  if (result?.error !== undefined) throw unavailable(`InfluxDB: ${result.error}`);
  const series = result?.series ?? [];
  // A server's max-row-limit cuts the answer short; a short answer would read as "no more points".
  if (result?.partial || series.some((s) => s.partial)) throw unavailable('InfluxDB cut the answer short (max-row-limit)');
  return series.flatMap((s) => s.values.map((row) => Object.fromEntries(s.columns.map((c, i) => [c, row[i]]))));
}

function parseRows<T>(schema: z.ZodType<T>, rows: Record<string, unknown>[]): T[] {
  return rows.map((row) => {
    const parsed = schema.safeParse(row);
    if (!parsed.success) throw unavailable(`InfluxDB answered an unexpected row: ${JSON.stringify(row)}`);
    return parsed.data;
  });
}

/**
 * Reads telemetry with InfluxQL over the v1-compatible `/query` endpoint, which InfluxDB 1.8+,
 * 2.x (through a DBRP mapping) and 3.x all serve. Any failure of the server (down, timed out,
 * a refused token, no such database) is TELEMETRY_STORE_UNAVAILABLE; no series is no points.
 */
export function createInfluxQlReader(opts: InfluxQlReaderOptions): TelemetryReader {
  const endpoint = new URL('query', opts.url.endsWith('/') ? opts.url : `${opts.url}/`);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const headers = { Authorization: `Token ${opts.token}`, Accept: 'application/json' };

  async function send(statement: string): Promise<Record<string, unknown>[]> {
    const url = new URL(endpoint);
    url.search = new URLSearchParams({
      db: opts.database,
      ...(opts.retentionPolicy ? { rp: opts.retentionPolicy } : {}),
      epoch: 'ms',
      q: statement,
    }).toString();
    let status: number;
    let text: string;
    try {
      const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
      status = res.status;
      text = await res.text();
    } catch (err) {
      throw unavailable(fetchFailure(err, timeoutMs));
    }
    if (status < 200 || status > 299) throw unavailable(`InfluxDB answered ${status}: ${text.trim().slice(0, 200)}`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw unavailable(`InfluxDB's answer is not JSON: ${text.slice(0, 200)}`);
    }
    return rowsOf(body);
  }

  return {
    async query(q): Promise<TelemetrySample[]> {
      const rows = await send(influxQlFor(q));
      if (q.stepMs === undefined) {
        return parseRows(RawRow, rows).map((r) => ({ ts: r.time, value: r.value, min: r.value, max: r.value, count: 1 }));
      }
      return parseRows(BucketRow, rows).map((r) => ({ ts: r.time, value: r.value, min: r.min, max: r.max, count: r.count }));
    },
  };
}
