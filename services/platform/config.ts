import { z } from 'zod';
import { AdminPassword } from './accounts/index.ts';
import { AddressList, TrustProxy } from './trust-proxy.ts';
import { ConfigError } from '../kernel/config-error.ts';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const httpUrl = z
  .string()
  .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), 'must be an http:// or https:// URL such as http://influxdb:8086')
  .transform((v) => v.replace(/\/+$/, ''));

const postgresUrl = z
  .string()
  .refine(
    (v) => URL.canParse(v) && /^postgres(?:ql)?:$/.test(new URL(v).protocol),
    'must be a postgres:// URL such as postgres://mtbox:secret@db:5432/mtbox',
  );

const redisUrl = z
  .string()
  .refine(
    (v) => URL.canParse(v) && /^rediss?:$/.test(new URL(v).protocol) && new URL(v).hostname !== '',
    'must be a redis:// or rediss:// URL such as redis://redis:6379',
  );

/**
 * The one environment schema. Every variable, its default and its meaning is listed in
 * the README's configuration table; no other module reads process.env.
 */
/** Comma-separated browser origins, each exactly as a browser sends it: `https://ops.example.com`. */
const originList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o !== ''),
  )
  .pipe(
    z.array(
      z.string().refine((o) => {
        try {
          return new URL(o).origin === o;
        } catch {
          return false;
        }
      }, 'each entry must be an origin such as https://ops.example.com (scheme, host, optional port; no path)'),
    ),
  );

/** At least 32 bytes, written as hex or base64 (e.g. `openssl rand -base64 32`); hex is tried first. */
const boxSecretKey = z
  .string()
  .refine((v) => /^[A-Za-z0-9+/_-]+={0,2}$/.test(v), 'must be written as hex or base64')
  .transform((v) => Buffer.from(v, /^(?:[0-9a-fA-F]{2})+$/.test(v) ? 'hex' : 'base64'))
  .refine((key) => key.length >= 32, 'must be at least 32 bytes (e.g. the output of `openssl rand -base64 32`)');

export const ConfigSchema = z.object({
  /** Plain MQTT; `off` leaves only the TLS listener. */
  MQTT_PORT: z.union([z.literal('off'), port]).default(1883),
  MQTT_HOST: z.string().min(1).default('0.0.0.0'),
  /** MQTT over TLS (conventionally 8883); unset means no TLS listener. Needs TLS_CERT_FILE and TLS_KEY_FILE. */
  MQTT_TLS_PORT: port.optional(),
  /** PEM server certificate (with its chain) and private key; re-read on SIGHUP. */
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  /** PEM CA that signs box certificates: a box presenting one whose subject CN is its serial needs no password. */
  TLS_CA_FILE: z.string().min(1).optional(),
  HTTP_PORT: port.default(8080),
  HTTP_HOST: z.string().min(1).default('0.0.0.0'),
  /** express's `trust proxy`: who may set X-Forwarded-For/-Proto; off unless a reverse proxy is in front. */
  TRUST_PROXY: TrustProxy.default(false),
  /**
   * The load balancers in front of the MQTT ports (addresses, subnets, loopback/linklocal/
   * uniquelocal): a connection from one must begin with a PROXY protocol header, whose source
   * address is then the box's. Unset: no connection may carry one.
   */
  MQTT_PROXY_FROM: AddressList.optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  /**
   * The relational state on PostgreSQL instead of DATA_DIR's SQLite file, e.g.
   * postgres://mtbox:secret@db:5432/mtbox; every node of a cluster names the same database.
   */
  DATABASE_URL: postgresUrl.optional(),
  /**
   * Clustering: what the nodes must share besides the database goes through this Redis
   * (so far the login throttles and bans), e.g. redis://redis:6379. Needs DATABASE_URL.
   */
  REDIS_URL: redisUrl.optional(),
  /**
   * The key box secrets are hashed with (HMAC-SHA-256). Unset: a random key kept in
   * DATA_DIR/box-secret.key. Nodes sharing one database must all be given the same key.
   */
  BOX_SECRET_KEY: boxSecretKey.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Checked by the password policy of every new password (length, then guessability). */
  ADMIN_PASSWORD: AdminPassword.optional(),
  MAX_PAYLOAD_BYTES: positiveInt.max(16 * 1024 * 1024).default(64 * 1024),
  /** A box timestamp further ahead of the backend clock than this is rejected. */
  MAX_FUTURE_SKEW_S: positiveInt.default(24 * 3600),
  /** The broker drops a socket that has not sent a valid CONNECT within this time. */
  CONNECT_TIMEOUT_MS: positiveInt.default(10_000),
  /**
   * The longest keep-alive the broker honours. A box asking for 0 (none) or for more is accepted
   * and closed after 1.5 × this many seconds without a packet, so dead links are still detected;
   * MQTT 3.1.1 has no return code for refusing a keep-alive. 65535 is the field's own maximum.
   */
  KEEPALIVE_MAX_S: positiveInt.max(65535).default(1200),
  LOGIN_FAILURES_BEFORE_BAN: positiveInt.default(10),
  LOGIN_BAN_S: positiveInt.default(300),
  /** How long the SQLite store keeps raw telemetry; with InfluxDB the bucket's retention rules instead. */
  TELEMETRY_RETENTION_DAYS: positiveInt.default(90),
  /** Where telemetry goes: the embedded SQLite database, or InfluxDB through a local spool. */
  TELEMETRY_STORE: z.enum(['sqlite', 'influxdb']).default('sqlite'),
  /** InfluxDB's base URL, e.g. http://influxdb:8086; writes go to its /api/v2/write. */
  INFLUX_URL: httpUrl.optional(),
  /** An API token allowed to write the bucket and read it (InfluxDB 1.8: `user:password`). */
  INFLUX_TOKEN: z.string().min(1).optional(),
  INFLUX_ORG: z.string().min(1).optional(),
  INFLUX_BUCKET: z.string().min(1).optional(),
  /** Where InfluxQL reads go (/query), when not INFLUX_URL: a read replica, say. */
  INFLUX_QUERY_URL: httpUrl.optional(),
  /** The InfluxQL database the bucket is mapped to (InfluxDB 2: a DBRP mapping); default: the bucket's name. */
  INFLUX_DATABASE: z.string().min(1).optional(),
  /** The InfluxQL retention policy to read; default: the database's default one. */
  INFLUX_RETENTION_POLICY: z.string().min(1).optional(),
  /**
   * The disk the spool may use (DATA_DIR/telemetry-spool.sqlite) while InfluxDB is away or slow.
   * Full, it holds back the boxes' messages (their sockets wait) rather than dropping any.
   */
  TELEMETRY_SPOOL_MB: positiveInt.max(1_048_576).default(1024),
  SESSION_TTL_H: positiveInt.default(12),
  /**
   * Holiday calendar maintained by an admin (same format as the shipped one); its years
   * replace the shipped ones, so next year's official schedule needs no release.
   * Default: `calendar.json` in DATA_DIR, used when it exists.
   */
  CALENDAR_FILE: z.string().min(1).optional(),
  /**
   * Browser origins besides the backend's own that may change state with the session cookie
   * and open a socket.io connection, e.g. a dashboard served from another host.
   */
  ALLOWED_ORIGINS: originList.default([]),
  /**
   * Business hours (9:00–18:00 on working days) after an RMA ticket opens by which after-sales
   * must first act on it. Our own policy, not the seed's (the seed sets no first-response time);
   * at most a working week (5 × 9 h).
   */
  FIRST_RESPONSE_HOURS: positiveInt.max(45).default(4),
  /** How often the scheduler looks for due ticket deadlines. */
  SCHEDULER_POLL_S: positiveInt.default(30),
  /** PLC tunnels a remote-guidance session may have open at once. */
  TUNNEL_MAX_PER_SESSION: positiveInt.max(16).default(2),
  /** A tunnel with no stream data either way for this long is closed (`idle`); also sent to the box as `idleS`. */
  TUNNEL_IDLE_S: positiveInt.max(86_400).default(300),
  /** A tunnel is closed (`max-duration`) this many minutes after it opened, busy or not. */
  TUNNEL_MAX_MIN: positiveInt.max(24 * 60).default(120),
  /**
   * Lets customer webhooks target loopback, private and link-local addresses (a plant's own
   * system on the LAN, or tests). Off by default: the backend would otherwise make requests
   * into its own network on a customer's behalf (SSRF). Checked when saved and at each delivery.
   */
  /**
   * The bearer token a Prometheus scraper sends to GET /metrics. Unset: /metrics answers 404, so
   * an operator turns metrics on explicitly. At least 16 characters (e.g. `openssl rand -hex 32`).
   */
  METRICS_TOKEN: z.string().min(16).optional(),
  // Backups of the database (docs/operations.md, "Backups and restore").
  /** Where backups are written; default `backups` inside DATA_DIR. Best on another disk. */
  BACKUP_DIR: z.string().min(1).optional(),
  /** Hours between scheduled backups, counted from the newest one in BACKUP_DIR; 0 turns the schedule off. */
  BACKUP_INTERVAL_H: z.coerce.number().int().min(0).default(24),
  /** Backups kept (scheduled and on-demand alike): after each good one, the oldest beyond this are deleted. */
  BACKUP_KEEP: positiveInt.default(7),
  /**
   * Seconds between SIGTERM/SIGINT and the stop. /api/ready answers 503 `shutting down` at once
   * while the node keeps serving, so a load balancer polling it every 2 s sees two failures and
   * takes the node out before its connections close. 0 stops at once (services/platform/shutdown.ts).
   */
  SHUTDOWN_DRAIN_S: z.coerce.number().int().min(0).max(300).default(5),
  WEBHOOK_ALLOW_PRIVATE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

export type Config = Readonly<z.infer<typeof ConfigSchema>>;

/** The MQTT listeners must make sense together: at least one, and TLS with its files. */
function listenerIssues(c: z.infer<typeof ConfigSchema>): string[] {
  const issues: string[] = [];
  const tls = c.MQTT_TLS_PORT !== undefined;
  if (c.MQTT_PORT === 'off' && !tls) issues.push('MQTT_PORT: is off and MQTT_TLS_PORT is not set, so boxes could not connect at all');
  for (const name of ['TLS_CERT_FILE', 'TLS_KEY_FILE'] as const) {
    if (tls && c[name] === undefined) issues.push(`${name}: required when MQTT_TLS_PORT is set`);
  }
  for (const name of ['TLS_CERT_FILE', 'TLS_KEY_FILE', 'TLS_CA_FILE'] as const) {
    if (!tls && c[name] !== undefined) issues.push(`${name}: set but MQTT_TLS_PORT is not, so it would be ignored`);
  }
  return issues;
}

const INFLUX_REQUIRED = ['INFLUX_URL', 'INFLUX_TOKEN', 'INFLUX_ORG', 'INFLUX_BUCKET'] as const;
const INFLUX_OPTIONAL = ['INFLUX_QUERY_URL', 'INFLUX_DATABASE', 'INFLUX_RETENTION_POLICY'] as const;

/** InfluxDB needs its four settings; with SQLite they would be silently ignored, so they are refused. */
function telemetryStoreIssues(c: z.infer<typeof ConfigSchema>): string[] {
  if (c.TELEMETRY_STORE === 'influxdb') {
    return INFLUX_REQUIRED.filter((name) => c[name] === undefined).map((name) => `${name}: required when TELEMETRY_STORE=influxdb`);
  }
  return [...INFLUX_REQUIRED, ...INFLUX_OPTIONAL]
    .filter((name) => c[name] !== undefined)
    .map((name) => `${name}: set but TELEMETRY_STORE is not influxdb, so it would be ignored`);
}

/**
 * Boxes log in on whichever node holds their connection, so every node must hash their secrets
 * with one key; a key file per node's DATA_DIR would lock boxes out of all nodes but one.
 */
function sharedDatabaseIssues(c: z.infer<typeof ConfigSchema>): string[] {
  const issues: string[] = [];
  if (c.DATABASE_URL !== undefined && c.BOX_SECRET_KEY === undefined)
    issues.push('BOX_SECRET_KEY: required when DATABASE_URL is set (every node must check box secrets with the same key)');
  // Nodes with a SQLite file each would share bans but not accounts, boxes or tickets.
  if (c.REDIS_URL !== undefined && c.DATABASE_URL === undefined)
    issues.push('REDIS_URL: needs DATABASE_URL (the nodes of a cluster share one database)');
  return issues;
}

export { ConfigError };

/** Parses the environment once; a bad value throws a ConfigError naming the variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty variable means "not set", as in a docker-compose file with `FOO=`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ConfigSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const issues = [...listenerIssues(parsed.data), ...telemetryStoreIssues(parsed.data), ...sharedDatabaseIssues(parsed.data)];
  if (issues.length > 0) throw new ConfigError(issues);
  return Object.freeze(parsed.data);
}
