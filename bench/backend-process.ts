import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type App } from '../services/app.ts';
import { loadConfig } from '../services/platform/config.ts';
import { createLogger } from '../services/platform/logger.ts';
import { z } from 'zod';
import { sampleProcess, serve } from './ipc.ts';
import type { BoxCredentials, SpoolSample, TargetStats } from './target.ts';

/**
 * The full backend (guard → broker → validation → store) in its own process, on a temp database;
 * with `influxUrl`, TELEMETRY_STORE=influxdb writing there through the spool in the same directory.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'mtbox-bench-'));
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));

let app: App | null = null;
let influx = false;

/** The part of /api/health the influx target is counted from. */
const TelemetryHealth = z.object({
  telemetry: z.object({
    spool: z.object({ full: z.boolean(), points: z.number().nullable(), bytes: z.number().nullable() }),
    forwarder: z.object({
      state: z.string(),
      forwarded: z.number(),
      failures: z.number(),
      lastError: z.string().nullable(),
      lastSuccessAt: z.number().nullable(),
    }),
  }),
});

function running(): App {
  if (!app) throw new Error('backend not started');
  return app;
}

async function stats(flush: boolean): Promise<TargetStats> {
  const a = running();
  if (flush) a.flush();
  if (!influx) return { count: await a.storedTelemetryCount(), ...sampleProcess() };
  // Through /api/health as an operator would read it. The spool thread reports at most every
  // 250 ms while points arrive and after every batch InfluxDB acknowledges, so `accepted` may
  // trail the spool by that much; `forwarded` is exact once the forwarder is idle.
  const res = await fetch(`http://127.0.0.1:${a.httpPort}/api/health`);
  const { spool, forwarder } = TelemetryHealth.parse(await res.json()).telemetry;
  const points = spool.points ?? 0;
  const sample: SpoolSample = {
    points,
    bytes: spool.bytes ?? 0,
    forwarded: forwarder.forwarded,
    accepted: forwarder.forwarded + points,
    full: spool.full,
    state: forwarder.state,
    failures: forwarder.failures,
    lastError: forwarder.lastError,
  };
  return {
    count: forwarder.forwarded,
    ...(forwarder.lastSuccessAt === null ? {} : { lastAt: forwarder.lastSuccessAt }),
    spool: sample,
    ...sampleProcess(),
  };
}

serve({
  async start({ influxUrl }: { influxUrl?: string }) {
    influx = influxUrl !== undefined;
    // VictoriaMetrics takes any token, org and bucket on /api/v2/write.
    const store = influxUrl
      ? { TELEMETRY_STORE: 'influxdb', INFLUX_URL: influxUrl, INFLUX_TOKEN: 'bench', INFLUX_ORG: 'bench', INFLUX_BUCKET: 'telemetry' }
      : {};
    const config = loadConfig({
      ...store,
      MQTT_PORT: '0',
      MQTT_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      HTTP_HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ADMIN_PASSWORD: 'bench-admin-password-not-secret',
      KEEPALIVE_MAX_S: '1200',
    });
    app = await startApp(config, { logger: createLogger('warn') });
    return { port: app.mqttPort };
  },
  async provision({ count }: { count: number }): Promise<BoxCredentials[]> {
    const serials = Array.from({ length: count }, (_, i) => `MTB${String(i).padStart(10, '0')}`);
    // One shared secret hashes once; each CONNECT is still verified with scrypt as in production.
    return running().provision(serials, 'bench-shared-device-secret');
  },
  stats: ({ flush }: { flush: boolean }) => stats(flush),
  async gc({ flush }: { flush: boolean }) {
    globalThis.gc?.();
    return stats(flush);
  },
});
