import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { DestinationStream } from 'pino';
import { startApp, type App } from '../../services/app.ts';
import type { Clock } from '../../services/kernel/clock.ts';
import { loadConfig } from '../../services/platform/config.ts';
import { createLogger } from '../../services/platform/logger.ts';
import { topicFor } from '../../services/contract/topics.ts';
import { tempDir } from './temp-dir.ts';
import type { OpenedDatabase } from '../../services/platform/db/index.ts';
import { openTestDatabase, testDatabaseEnv } from './test-database.ts';

export const ADMIN_PASSWORD = 'test-admin-password-1';

export interface TestBackend {
  app: App;
  dataDir: string;
  /** Plain MQTT; empty when MQTT_PORT is off. */
  mqttUrl: string;
  /** MQTT over TLS; empty without MQTT_TLS_PORT. */
  mqttsUrl: string;
  api: string;
  /** Logs in as admin once and returns `Authorization` headers. */
  adminHeaders(): Promise<Record<string, string>>;
  /** Stops gracefully and starts again on the same data directory (new ports). */
  restart(): Promise<void>;
  /** Opens the backend's database (SQLite in its data directory, or its PostgreSQL one), e.g. while it is stopped. */
  openDatabase(): Promise<OpenedDatabase>;
  stop(): Promise<void>;
}

/** The whole backend in this process, on free loopback ports with a fresh database (test-database.ts). */
export async function startTestBackend(
  env: Record<string, string> = {},
  opts: { clock?: Clock; logDestination?: DestinationStream } = {},
): Promise<TestBackend> {
  const dir = tempDir();
  const databaseEnv = await testDatabaseEnv();
  const config = loadConfig({
    MQTT_PORT: '0',
    MQTT_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    HTTP_HOST: '127.0.0.1',
    DATA_DIR: dir.path,
    ADMIN_PASSWORD,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // No scheduled backups unless a test asks: each would copy the database at start.
    BACKUP_INTERVAL_H: '0',
    ...databaseEnv,
    ...env,
  });
  const logger = createLogger(config.LOG_LEVEL, opts.logDestination);
  let headers: Record<string, string> | null = null;
  const backend: TestBackend = {
    app: await startApp(config, { logger, ...(opts.clock ? { clock: opts.clock } : {}) }),
    dataDir: dir.path,
    mqttUrl: '',
    mqttsUrl: '',
    api: '',
    async restart() {
      await backend.app.stop();
      backend.app = await startApp(config, { logger, ...(opts.clock ? { clock: opts.clock } : {}) });
      headers = null;
      locate();
    },
    openDatabase: () => openTestDatabase(dir.path, { ...databaseEnv, ...env }),
    async adminHeaders() {
      if (!headers) {
        const res = await fetch(`${backend.api}/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
        });
        if (res.status !== 200) throw new Error(`admin login answered ${res.status}`);
        const { token } = (await res.json()) as { token: string };
        headers = { authorization: `Bearer ${token}` };
      }
      return headers;
    },
    async stop() {
      await backend.app.stop();
      dir.remove();
    },
  };
  function locate() {
    const { port, tlsPort } = backend.app.broker;
    backend.mqttUrl = port === null ? '' : `mqtt://127.0.0.1:${port}`;
    backend.mqttsUrl = tlsPort === null ? '' : `mqtts://127.0.0.1:${tlsPort}`;
    backend.api = `http://127.0.0.1:${backend.app.httpPort}/api`;
  }
  locate();
  return backend;
}

export interface BoxClientOptions extends IClientOptions {
  /** Publish the retained online status right after connecting (default true). */
  announce?: boolean;
}

/**
 * A plain mqtt.js client following the box contract, for tests that need byte-level control
 * the simulator hides (wrong client ids, other boxes' topics).
 */
export function connectBox(url: string, serial: string, secret: string, opts: BoxClientOptions = {}): Promise<MqttClient> {
  const { announce = true, ...rest } = opts;
  const client = mqtt.connect(url, {
    clientId: serial,
    username: serial,
    password: secret,
    protocolVersion: 4,
    keepalive: 30,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    will: { topic: topicFor(serial, 'status'), payload: Buffer.from(JSON.stringify({ state: 'offline' })), qos: 1, retain: true },
    ...rest,
  });
  return new Promise((resolve, reject) => {
    client.once('connect', () => {
      if (!announce) return resolve(client);
      const status = { state: 'online', fw: '2.4.1', model: 'MT-BOX-4G', ts: Date.now() };
      client.publish(topicFor(serial, 'status'), JSON.stringify(status), { qos: 1, retain: true }, (err) => (err ? reject(err) : resolve(client)));
    });
    client.once('error', (err) => {
      client.end(true);
      reject(err);
    });
    client.once('close', () => reject(new Error('connection closed before CONNACK')));
  });
}

export function publish(client: MqttClient, topic: string, payload: unknown, qos: 0 | 1 = 1): Promise<void> {
  const body = typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload);
  return new Promise((resolve, reject) => client.publish(topic, body, { qos }, (err) => (err ? reject(err) : resolve())));
}
