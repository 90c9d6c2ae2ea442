import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { composeServices, type HttpHooks } from '../../services/compose-services.ts';
import type { AfterSales } from '../../services/after-sales/compose-after-sales.ts';
import type { CommandPort } from '../../services/edge/commands/domain/command-port.ts';
import type { IntakeStore } from '../../services/edge/intake/domain/intake-port.ts';
import type { ShadowService } from '../../services/edge/presence/shadow-service.ts';
import type { DeviceRegistry } from '../../services/edge/registry/domain/registry-port.ts';
import type { TelemetryStore } from '../../services/edge/telemetry/domain/telemetry-port.ts';
import type { StaffRole as Role } from '../../services/kernel/roles.ts';
import { createUserStore } from '../../services/platform/accounts/store/user-store.ts';
import { loadConfig, type Config } from '../../services/platform/config.ts';
import type { BoxSecretHasher } from '../../services/platform/security/box-secret-hash.ts';
import type { Db } from '../../services/platform/db/database.ts';
import { tempDir } from './temp-dir.ts';
import { openTestDatabase, testDatabaseEnv } from './test-database.ts';

/*
 * The HTTP API as the backend composes it (services/compose-services.ts), over a real database
 * (SQLite, or PostgreSQL in the `postgres` project: test-database.ts) and a real socket, with a clock the test moves. No broker: every box reads as
 * offline unless a test marks it present through the real presence service, and commands
 * reach only a `commandPort` the test provides.
 */

export interface RequestOptions {
  headers?: Record<string, string>;
  json?: unknown;
  csv?: string;
}

export interface ApiFixture {
  /** e.g. http://127.0.0.1:40123 */
  url: string;
  config: Config;
  db: Db;
  /** Not started: a test fires deadlines itself with `afterSales.scheduler.tick()` after `advance()`. */
  afterSales: AfterSales;
  registry: DeviceRegistry;
  /** Checks the box secrets the routes issue. */
  boxSecrets: BoxSecretHasher;
  shadows: ShadowService;
  telemetry: TelemetryStore;
  intake: IntakeStore;
  /** Serials handed to onDeviceDisabled, in order. */
  disabled: string[];
  now(): number;
  advance(ms: number): void;
  /** Creates a user straight in the store (no API call). */
  createUser(username: string, password: string, role: Role): Promise<void>;
  /** `Authorization` headers of a fresh session for an account with this role. */
  headersFor(role: Role): Promise<Record<string, string>>;
  login(username: string, password: string): Promise<Response>;
  request(method: string, path: string, options?: RequestOptions): Promise<Response>;
  close(): Promise<void>;
}

export const START = Date.parse('2025-06-15T08:00:00Z');
export const PASSWORD = 'correct horse battery';

/**
 * `commands`: what reaches the boxes, for both the command API and parameter backups;
 * without it every box reads as offline. `readiness`: what GET /api/ready is told of start-up
 * and the MQTT listener (default: started, no broker to check).
 */
export async function startApiFixture(
  env: Record<string, string> = {},
  opts: { commands?: CommandPort; readiness?: HttpHooks['readiness'] } = {},
): Promise<ApiFixture> {
  const dir = tempDir('mtbox-api-');
  const databaseEnv = await testDatabaseEnv();
  const config = loadConfig({ DATA_DIR: dir.path, LOG_LEVEL: 'silent', ...databaseEnv, ...env });
  const opened = await openTestDatabase(dir.path, databaseEnv);
  const { db } = opened;
  let now = START;
  const clock = () => now;
  const disabled: string[] = [];
  const logger = pino({ level: 'silent' });
  const services = await composeServices(config, opened, {
    logger,
    clock,
    edge: {
      publishCommand: () => {},
      isConnected: () => false,
      disconnect: (serial) => disabled.push(serial),
      stats: () => ({ connected: services.shadows.onlineIds().size }),
    },
    ...(opts.commands ? { commandPort: opts.commands } : {}),
    // Scenarios here run many backups and restores on a clock that stands still; the limits
    // themselves are tested against the real app in api-costly-limits.test.ts.
    costlyLimits: { perAccount: { capacity: 1000, perMinute: 1000 }, perAddress: { capacity: 1000, perMinute: 1000 } },
  });
  const { registry, shadows, telemetry, intake, afterSales } = services;
  const app = services.httpApp({ onSessionsRevoked: () => {}, ...(opts.readiness ? { readiness: opts.readiness } : {}) });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const users = createUserStore(db);
  const roleHeaders = new Map<Role, Record<string, string>>();

  const fixture: ApiFixture = {
    url,
    config,
    db,
    afterSales,
    registry,
    boxSecrets: services.boxSecrets,
    shadows,
    telemetry,
    intake,
    disabled,
    now: () => now,
    advance(ms) {
      now += ms;
    },
    async createUser(username, password, role) {
      const r = await users.create({ username, password, role }, now);
      if (!r.ok) throw new Error(`user ${username} exists`);
    },
    async headersFor(role) {
      let headers = roleHeaders.get(role);
      if (!headers) {
        await fixture.createUser(`${role}-user`, PASSWORD, role);
        const res = await fixture.login(`${role}-user`, PASSWORD);
        if (res.status !== 200) throw new Error(`login as ${role} answered ${res.status}`);
        headers = { authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
        roleHeaders.set(role, headers);
      }
      return headers;
    },
    login(username, password) {
      return fixture.request('POST', '/api/auth/login', { json: { username, password } });
    },
    request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      let body: string | undefined;
      if (options.json !== undefined) {
        headers['content-type'] ??= 'application/json';
        body = JSON.stringify(options.json);
      } else if (options.csv !== undefined) {
        headers['content-type'] ??= 'text/csv';
        body = options.csv;
      }
      return fetch(`${url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.stop();
      await opened.close();
      dir.remove();
    },
  };
  return fixture;
}
