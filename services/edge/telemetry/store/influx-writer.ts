import { HttpError, InfluxDB, setLogger } from '@influxdata/influxdb-client';
import { WriteFailure } from './spool-forwarder.ts';

export interface InfluxWriteTarget {
  url: string;
  token: string;
  org: string;
  bucket: string;
}

// The client logs failed writes to the console itself; the forwarder reports them instead.
setLogger({ error: () => {}, warn: () => {} });

/**
 * Writes line protocol through the official client's write API (`/api/v2/write`, precision ms,
 * gzip above 1 KB), one request per call. Its own retry buffer is off (maxRetries 0) because the
 * spool is the buffer: a batch is deleted only after this resolves.
 */
export function createInfluxWriter(target: InfluxWriteTarget, opts: { timeoutMs: number; maxLines: number }): (lines: string[]) => Promise<void> {
  const client = new InfluxDB({ url: target.url, token: target.token, timeout: opts.timeoutMs });
  const api = client.getWriteApi(target.org, target.bucket, 'ms', {
    // Above any batch the forwarder sends, so the client never splits or sends one on its own.
    batchSize: opts.maxLines + 1,
    flushInterval: 0,
    maxRetries: 0,
    gzipThreshold: 1000,
  });
  return async (lines) => {
    api.writeRecords(lines);
    try {
      await api.flush();
    } catch (err) {
      if (err instanceof HttpError) {
        // Retry-After is in seconds (RFC 9110); the client hands the header's number back as is.
        const retryAfterS = err.retryAfter();
        throw new WriteFailure(
          `InfluxDB answered ${err.statusCode}: ${err.message}`,
          err.statusCode,
          retryAfterS > 0 ? retryAfterS * 1000 : undefined,
        );
      }
      throw new WriteFailure(`InfluxDB unreachable: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
}
