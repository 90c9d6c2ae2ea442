import { execFileSync, spawn } from 'node:child_process';
import { chownSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { tempDir } from './temp-dir.ts';
import { freePort, managed } from './time-series-servers.ts';

/**
 * Real database engines from Debian's packages for the many-node tests, each on a free loopback
 * port with a temporary data directory (test/setup/debian-packages.ts installs them when missing).
 */
export interface EngineServer {
  url: string;
  port: number;
  /** Stops the process; the data directory stays for start(). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory, e.g. after an outage. */
  start(): Promise<void>;
  /** Stops it for good and removes its files. */
  remove(): Promise<void>;
  running(): boolean;
}

export interface PostgresServer extends EngineServer {
  /** Creates an empty database (a fresh name when none is given) and answers its URL. */
  createDatabase(name?: string): Promise<string>;
}

/** The newest PostgreSQL Debian installed: `/usr/lib/postgresql/<version>/bin`. */
function postgresBin(): string {
  const [newest] = readdirSync('/usr/lib/postgresql')
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  if (newest === undefined) throw new Error('no PostgreSQL under /usr/lib/postgresql');
  return path.join('/usr/lib/postgresql', newest, 'bin');
}

/** PostgreSQL refuses to run as root: as root the server runs as Debian's `postgres` user. */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

async function answersSelect1(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } finally {
    await client.end().catch(() => {});
  }
}

const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * PostgreSQL with trust authentication for the role `mtbox`, durability traded for speed (fsync
 * off: a test's data need not survive a power cut). The server runs in the foreground under this
 * process rather than through `pg_ctl start`, so stop/start follow the other servers' pattern and
 * a failed start reports the server's own output. Run as another user through spawn's uid/gid
 * rather than runuser, which would turn the fast-shutdown SIGINT into SIGTERM and then SIGKILL.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBin();
  const user = postgresUser();
  const dir = tempDir('mtbox-pg-');
  if (user) chownSync(dir.path, user.uid, user.gid);
  const asUser = { cwd: dir.path, ...(user ?? {}) };
  const data = path.join(dir.path, 'data');
  try {
    execFileSync(path.join(bin, 'initdb'), ['-D', data, '-U', 'mtbox', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync'], {
      ...asUser,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    dir.remove();
    throw new Error(`initdb failed:\n${(err as { stderr?: Buffer }).stderr?.toString() ?? String(err)}`);
  }
  const port = await freePort();
  const urlOf = (database: string) => `postgres://mtbox@127.0.0.1:${port}/${database}`;
  const url = urlOf('postgres');
  const settings = ['listen_addresses=127.0.0.1', 'fsync=off', 'synchronous_commit=off', 'full_page_writes=off'];
  const args = ['-D', data, '-p', String(port), '-k', dir.path, ...settings.flatMap((s) => ['-c', s])];
  const server = managed(
    () => spawn(path.join(bin, 'postgres'), args, { ...asUser, stdio: ['ignore', 'pipe', 'pipe'] }),
    () => answersSelect1(url),
    'PostgreSQL',
    () => dir.remove(),
    // SIGINT is PostgreSQL's fast shutdown; SIGTERM would wait for every client to disconnect.
    { stopSignal: 'SIGINT' },
  );
  await server.start();
  let created = 0;
  return {
    url,
    port,
    ...server,
    async createDatabase(name = `test_${++created}`) {
      if (!DATABASE_NAME.test(name)) throw new Error(`not a plain database name: ${name}`);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`create database "${name}"`);
      } finally {
        await client.end();
      }
      return urlOf(name);
    },
  };
}

/** Whether a Redis answers PING on the port, over a raw socket (no client library's retries). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d: Buffer) => {
      reply += d.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

/** Redis keeping nothing on disk (no snapshots, no append-only file): a test's data is its own. */
export async function startRedis(): Promise<EngineServer> {
  const dir = tempDir('mtbox-redis-');
  const port = await freePort();
  const server = managed(
    () =>
      spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', dir.path],
        { cwd: dir.path, stdio: ['ignore', 'pipe', 'pipe'] },
      ),
    () => answersPing(port),
    'Redis',
    () => dir.remove(),
  );
  await server.start();
  return { url: `redis://127.0.0.1:${port}`, port, ...server };
}

export interface HaproxyBackend {
  host: string;
  port: number;
  /** Prefix each connection with a PROXY protocol v2 header carrying the client's address. */
  sendProxyV2?: boolean;
  /** Health-check the server with `GET <path>` (2xx/3xx is up); one path per frontend. */
  checkHttpPath?: string;
  /** Run the health check against this port rather than the served one. */
  checkPort?: number;
}

export interface HaproxyFrontend {
  name: string;
  mode: 'tcp' | 'http';
  backends: HaproxyBackend[];
}

export interface HaproxyServer {
  /** The loopback port of each frontend, by name. */
  ports: Record<string, number>;
  /** The port of the named frontend; throws for a name the config did not have. */
  port(frontend: string): number;
  stop(): Promise<void>;
  start(): Promise<void>;
  remove(): Promise<void>;
  running(): boolean;
}

const SECTION_NAME = /^[A-Za-z0-9_-]+$/;

function backendSection(frontend: HaproxyFrontend): string[] {
  const paths = new Set(frontend.backends.flatMap((b) => (b.checkHttpPath ? [b.checkHttpPath] : [])));
  if (paths.size > 1) throw new Error(`frontend ${frontend.name}: HAProxy takes one health-check path per backend section`);
  const [checkPath] = paths;
  if (checkPath !== undefined && !/^\/\S*$/.test(checkPath)) throw new Error(`not a plain path: ${checkPath}`);
  const servers = frontend.backends.map((b, i) => {
    const checked = b.checkHttpPath !== undefined || b.checkPort !== undefined;
    const options = [b.sendProxyV2 ? 'send-proxy-v2' : '', checked ? 'check' : '', b.checkPort !== undefined ? `port ${b.checkPort}` : ''].filter(
      (o) => o !== '',
    );
    return `  server s${i} ${b.host}:${b.port} ${options.join(' ')}`.trimEnd();
  });
  return [
    `backend ${frontend.name}_servers`,
    `  mode ${frontend.mode}`,
    '  balance roundrobin',
    ...(checkPath !== undefined ? [`  option httpchk GET ${checkPath}`] : []),
    // Checks every 100 ms, one failure takes a server out and one success brings it back, so
    // failover tests wait fractions of a second rather than HAProxy's default seconds.
    '  default-server inter 100ms fall 1 rise 1',
    ...servers,
  ];
}

function haproxyConfig(frontends: HaproxyFrontend[], ports: Record<string, number>): string {
  const sections = frontends.flatMap((f) => [
    `frontend ${f.name}`,
    `  mode ${f.mode}`,
    `  bind 127.0.0.1:${ports[f.name]}`,
    `  default_backend ${f.name}_servers`,
    ...backendSection(f),
  ]);
  return [
    'global',
    // `ulimit -n` is capped at 20000 on the test machines; HAProxy refuses a maxconn it cannot open.
    '  maxconn 2000',
    'defaults',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    ...sections,
    '',
  ].join('\n');
}

/**
 * Whether something listens on 127.0.0.1:port, read from /proc/net/tcp rather than by connecting:
 * a probe connection to a TCP frontend would reach a backend (with a PROXY header) as a stray
 * client of the server under test.
 */
function listensOn(port: number): boolean {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const LISTEN = '0A';
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .some((line) => {
      const [, address, , state] = line.trim().split(/\s+/);
      return address === local && state === LISTEN;
    });
}

/** HAProxy in the foreground with one frontend per entry on free loopback ports, each balancing round robin. */
export async function startHaproxy(config: { frontends: HaproxyFrontend[] }): Promise<HaproxyServer> {
  const names = config.frontends.map((f) => f.name);
  for (const name of names) if (!SECTION_NAME.test(name)) throw new Error(`not a plain frontend name: ${name}`);
  if (new Set(names).size !== names.length) throw new Error('frontend names repeat');
  const ports: Record<string, number> = {};
  for (const name of names) ports[name] = await freePort();
  const dir = tempDir('mtbox-haproxy-');
  const cfg = path.join(dir.path, 'haproxy.cfg');
  writeFileSync(cfg, haproxyConfig(config.frontends, ports));
  try {
    execFileSync('haproxy', ['-c', '-q', '-f', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    dir.remove();
    throw new Error(`HAProxy refused its config:\n${(err as { stderr?: Buffer }).stderr?.toString() ?? String(err)}`);
  }
  const server = managed(
    () => spawn('haproxy', ['-f', cfg, '-db'], { cwd: dir.path, stdio: ['ignore', 'pipe', 'pipe'] }),
    async () => Object.values(ports).every(listensOn),
    'HAProxy',
    () => dir.remove(),
  );
  await server.start();
  return {
    ports,
    port(frontend) {
      const port = ports[frontend];
      if (port === undefined) throw new Error(`no frontend named ${frontend}`);
      return port;
    },
    ...server,
  };
}
