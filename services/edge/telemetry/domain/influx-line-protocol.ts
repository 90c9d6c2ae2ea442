/**
 * How a telemetry message becomes one InfluxDB point: measurement `telemetry`, the box serial as
 * the one tag, each metric as a float field, the box's timestamp in ms, plus two integer fields
 * of our own. Metric names are lower_snake_case (contract/payloads.ts METRIC_NAME), so our
 * camelCase fields can never collide with one, and neither needs escaping.
 */
export const MEASUREMENT = 'telemetry';
export const SERIAL_TAG = 'serial';
/** The backend's receive time, ms since the epoch. */
export const RECEIVED_AT_FIELD = 'receivedAt';
/** The box's message sequence number, as sent. */
export const SEQ_FIELD = 'boxSeq';

// Metric names InfluxDB cannot take as a field of this measurement: `time` is refused in every
// version, and `serial` would shadow the tag in InfluxQL. They are stored as `timeMetric` and
// `serialMetric`, camelCase like our own fields, so no lower_snake_case metric can collide.
const RESERVED_METRICS: ReadonlySet<string> = new Set(['time', SERIAL_TAG]);

/** The field a metric is stored in; reads and writes both go through this. */
export function fieldFor(metric: string): string {
  return RESERVED_METRICS.has(metric) ? `${metric}Metric` : metric;
}

// Line protocol: commas, equals signs and spaces in a tag value are backslash-escaped.
const TAG_SPECIALS = /[,= \\]/g;

/** One line of line protocol, timestamp in ms (written with precision=ms). */
export function telemetryLine(serial: string, ts: number, receivedAt: number, seq: number, metrics: Readonly<Record<string, number>>): string {
  let fields = '';
  for (const name in metrics) {
    // No `i` suffix: always a float, so a metric that is 3 now and 3.5 later keeps one field
    // type. String() gives the shortest form that reads back exactly (1e+21 included).
    fields += `${fieldFor(name)}=${metrics[name]},`;
  }
  return `${MEASUREMENT},${SERIAL_TAG}=${serial.replace(TAG_SPECIALS, '\\$&')} ${fields}${RECEIVED_AT_FIELD}=${receivedAt}i,${SEQ_FIELD}=${seq}i ${ts}`;
}
