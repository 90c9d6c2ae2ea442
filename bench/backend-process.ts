import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type App } from '../services/app.ts';
import { loadConfig } from '../services/platform/config.ts';
import { createLogger } from '../services/platform/logger.ts';
import { sampleProcess, serve } from './ipc.ts';
import type { BoxCredentials, TargetStats } from './target.ts';

/** The full backend (guard → broker → validation → store) in its own process, on a temp database. */

const dataDir = mkdtempSync(join(tmpdir(), 'mtbox-bench-'));
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));

let app: App | null = null;

function running(): App {
  if (!app) throw new Error('backend not started');
  return app;
}

async function stats(flush: boolean): Promise<TargetStats> {
  const a = running();
  if (flush) a.flush();
  return { count: await a.storedTelemetryCount(), ...sampleProcess() };
}

serve({
  async start() {
    const config = loadConfig({
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
