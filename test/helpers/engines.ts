import { execFileSync, spawn } from 'node:child_process';
import { chownSync, readdirSync } from 'node:fs';
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
    throw err;
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
