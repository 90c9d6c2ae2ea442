import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MEASUREMENT, RECEIVED_AT_FIELD, SEQ_FIELD, SERIAL_TAG } from '../services/edge/telemetry/domain/influx-line-protocol.ts';
import { ConfigSchema, loadConfig } from '../services/platform/config.ts';
import { forceExitAfterS } from '../services/platform/shutdown.ts';

/*
 * No Docker engine runs where the tests run, so the deployment files are checked for what can be
 * checked without one: that they parse, agree with the config module, document what they read,
 * keep secrets out of defaults, and build and start the backend the way the tests do.
 */

const ROOT = path.resolve(import.meta.dirname, '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

const COMPOSE_FILES = ['docker-compose.yml', 'deploy/grafana/compose.yml', 'deploy/cluster/compose.yml'];
const BACKEND = 'mtbox-care';
const CLUSTER_NODES = ['node1', 'node2', 'node3'];
/** Variables that hold a password, token or key: never given a default. */
const SECRETS = [
  'ADMIN_PASSWORD',
  'BOX_SECRET_KEY',
  'INFLUX_TOKEN',
  'INFLUX_ADMIN_PASSWORD',
  'GRAFANA_ADMIN_PASSWORD',
  'POSTGRES_PASSWORD',
  'REDIS_PASSWORD',
];
/**
 * Secrets that turn an optional part on: empty (off) by default where the part is optional, required
 * (`:?`) in the file that needs them, never given a value.
 */
const OPTIONAL_SECRETS = ['METRICS_TOKEN'];
/** Stand-ins for the secrets when the backend's environment is run through loadConfig. */
const PLACEHOLDERS: Record<string, string> = {
  ADMIN_PASSWORD: 'placeholder Walrus orbit 7391 lantern',
  BOX_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
  INFLUX_TOKEN: 'placeholder-influx-token',
  POSTGRES_PASSWORD: 'placeholder0postgres',
  REDIS_PASSWORD: 'placeholder0redis',
};

interface Service {
  profiles?: string[];
  networks?: string[] | Record<string, { ipv4_address?: string }>;
  depends_on?: Record<string, { condition: string }>;
  command?: string[];
  image?: string;
  build?: unknown;
  restart?: string;
  ports?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test?: string[] };
  stop_grace_period?: string;
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const compose = Object.fromEntries(COMPOSE_FILES.map((f) => [f, parse(read(f)) as ComposeFile]));
/** The services as Compose sees them with every file added (`-f … -f …`): a later file's keys added to an earlier one's service. */
function services(): Array<[string, Service]> {
  const merged = new Map<string, Service>();
  for (const f of COMPOSE_FILES)
    for (const [name, service] of Object.entries(compose[f]!.services)) merged.set(name, { ...merged.get(name), ...service });
  return [...merged];
}
const service = (name: string) => new Map(services()).get(name)!;
const allVolumes = () => COMPOSE_FILES.flatMap((f) => Object.keys(compose[f]!.volumes ?? {}));
const backend = (): Service => compose['docker-compose.yml']!.services[BACKEND]!;

/** A `${NAME}`, `${NAME:-default}` or `${NAME:?message}` reference in a compose file. */
interface VariableRef {
  name: string;
  op: string | undefined;
  arg: string | undefined;
}
const VARIABLE = /(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}/g;

function variableRefs(text: string): VariableRef[] {
  return [...text.matchAll(VARIABLE)].map((m) => ({ name: m[1]!, op: m[2], arg: m[3] }));
}

/** Every string value of a parsed file: what Compose interpolates (comments are not). */
function strings(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(strings);
  if (node !== null && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => [k, ...strings(v)]);
  return [];
}

const composeRefs = (): VariableRef[] => COMPOSE_FILES.flatMap((f) => strings(compose[f]).flatMap(variableRefs));

/** What `docker compose` would put in the value, with the secrets replaced by placeholders. */
function interpolate(value: string): string {
  return value.replace(VARIABLE, (_whole, name: string, op: string | undefined, arg: string | undefined) => {
    if (PLACEHOLDERS[name] !== undefined) return PLACEHOLDERS[name];
    return op === ':-' || op === '-' ? (arg ?? '') : '';
  });
}

/** The variables named in the README's configuration table. */
function readmeConfigVariables(): Set<string> {
  const readme = read('README.md');
  const section = readme.slice(readme.indexOf('## Configuration'));
  const table = section.slice(0, section.indexOf('\n## ', 1));
  return new Set([...table.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]!));
}

/** `NAME=value` lines of deploy/.env.example (comments left out). */
function envExample(): Map<string, string> {
  const lines = read('deploy/.env.example')
    .split('\n')
    .filter((l) => /^[A-Z_][A-Z0-9_]*=/.test(l));
  return new Map(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

/** The Dockerfile's stages, each as its instructions with continuation lines joined. */
function dockerStages(): Array<{ from: string; name: string | undefined; lines: string[] }> {
  const lines = read('Dockerfile')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const stages: Array<{ from: string; name: string | undefined; lines: string[] }> = [];
  for (const line of lines) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.push({ from: from[1]!, name: from[2], lines: [] });
    else stages.at(-1)?.lines.push(line);
  }
  return stages;
}

const published = (service: Service) => (service.ports ?? []).map((p) => Number(p.split(':').at(-1)));

describe('the compose files', () => {
  it('parse as YAML, and every service has an image or a build', () => {
    expect(services().map(([name]) => name)).toEqual([
      BACKEND,
      'influxdb',
      'grafana',
      'prometheus',
      ...CLUSTER_NODES,
      'haproxy',
      'postgres',
      'redis',
    ]);
    for (const [name, service] of services()) {
      expect(service.image ?? service.build, `${name}: image or build`).toBeTruthy();
    }
    expect(backend().build).toBe('.');
  });

  it('give every service a health check, a restart policy and a stop grace period', () => {
    for (const [name, service] of services()) {
      expect(service.healthcheck?.test?.length, `${name}: healthcheck`).toBeGreaterThan(0);
      expect(service.restart, `${name}: restart`).toBe('unless-stopped');
      expect(service.stop_grace_period, `${name}: stop_grace_period`).toMatch(/^\d+s$/);
    }
    // Longer than main.ts gives its own shutdown (the default drain and the stop budget), so
    // Docker's SIGKILL never cuts it short.
    const drainS = loadConfig({ ADMIN_PASSWORD: PLACEHOLDERS.ADMIN_PASSWORD }).SHUTDOWN_DRAIN_S;
    expect(Number.parseInt(backend().stop_grace_period!, 10)).toBeGreaterThan(forceExitAfterS(drainS));
    expect(backend().healthcheck!.test!.join(' ')).toContain('/api/health');
  });

  it('keep every piece of state in a named volume of their own', () => {
    for (const [name, service] of services()) {
      const sources = (service.volumes ?? []).map((v) => v.split(':')[0]!);
      const named = sources.filter((s) => !/^[./$]/.test(s));
      // The balancer keeps no state: its config is the operator's file.
      if (name !== 'haproxy') expect(named.length, `${name}: a named volume`).toBeGreaterThan(0);
      for (const source of named) expect(allVolumes(), `volume ${source}`).toContain(source);
      // Everything else is the operator's files, mounted read-only.
      for (const bind of (service.volumes ?? []).filter((v) => /^[./$]/.test(v))) expect(bind, name).toMatch(/:ro$/);
    }
    expect(backend().volumes).toContain('mtbox-data:/data');
  });

  it('document every variable they read, in the README configuration table or deploy/.env.example', () => {
    const documented = new Set([...readmeConfigVariables(), ...envExample().keys()]);
    const names = composeRefs().map((r) => r.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('require every secret without a default (`:?` with a message), and deploy/.env.example gives none a value', () => {
    const refs = composeRefs();
    for (const secret of SECRETS) {
      const uses = refs.filter((r) => r.name === secret);
      expect(uses.length, `${secret} is used`).toBeGreaterThan(0);
      for (const use of uses) {
        expect(use.op, `${secret}: no default`).toBe(':?');
        expect(use.arg, `${secret}: a message`).not.toBe('');
      }
    }
    for (const secret of OPTIONAL_SECRETS) {
      const uses = refs.filter((r) => r.name === secret);
      expect([...new Set(uses.map((u) => u.op))].sort(), `${secret}: off by default, required where used`).toEqual([':-', ':?']);
      for (const use of uses) expect(use.arg, `${use.name}${use.op}`).toMatch(use.op === ':-' ? /^$/ : /\S/);
    }
    // No other variable is required: the rest have safe defaults.
    expect([...new Set(refs.filter((r) => r.op === ':?' || r.op === '?').map((r) => r.name))].sort()).toEqual(
      [...SECRETS, ...OPTIONAL_SECRETS].sort(),
    );
    const example = envExample();
    for (const secret of [...SECRETS, ...OPTIONAL_SECRETS]) expect(example.get(secret), `${secret} in deploy/.env.example`).toBe('');
    // And no service is handed a password, token or key written into the file.
    for (const [name, service] of services()) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (!/PASSWORD|TOKEN|SECRET/.test(key)) continue;
        if (OPTIONAL_SECRETS.includes(key)) expect(value, `${name}: ${key}`).toMatch(/^\$\{[A-Z_]+(:-|:\?[^}]+)\}$/);
        else expect(value, `${name}: ${key}`).toMatch(/^\$\{[A-Z_]+:\?[^}]+\}$/);
      }
    }
  });
});

describe('the backend service', () => {
  it('is given only variables the config module defines', () => {
    const known = Object.keys(ConfigSchema.shape);
    const given = Object.keys(backend().environment ?? {});
    expect(given.length).toBeGreaterThan(0);
    expect(given.filter((name) => !known.includes(name))).toEqual([]);
  });

  it('starts the config module with its environment, InfluxDB as the telemetry store', () => {
    const env = Object.fromEntries(Object.entries(backend().environment!).map(([k, v]) => [k, interpolate(String(v))]));
    const config = loadConfig(env);
    expect(config.TELEMETRY_STORE).toBe('influxdb');
    expect(config.DATA_DIR).toBe('/data');
    expect(config.MQTT_TLS_PORT).toBe(8883);
    // The certificate and key are read from the read-only mount.
    const tlsMount = backend().volumes!.find((v) => v.endsWith(':/tls:ro'));
    expect(tlsMount).toBeDefined();
    expect(config.TLS_CERT_FILE).toMatch(/^\/tls\//);
    expect(config.TLS_KEY_FILE).toMatch(/^\/tls\//);
  });

  it('publishes the ports the config gives its listeners, and the image exposes the same', () => {
    const env = Object.fromEntries(Object.entries(backend().environment!).map(([k, v]) => [k, interpolate(String(v))]));
    const config = loadConfig(env);
    const listening = [config.MQTT_PORT, config.MQTT_TLS_PORT, config.HTTP_PORT];
    expect(listening).toEqual([1883, 8883, 8080]);
    expect(published(backend()).sort()).toEqual([...listening].sort());
    // Published on the same host ports: boxes are configured with 1883 and 8883.
    for (const port of backend().ports!) expect(port).toBe(`${port.split(':').at(-1)}:${port.split(':').at(-1)}`);
    const expose = dockerStages()
      .at(-1)!
      .lines.find((l) => l.startsWith('EXPOSE'))!;
    expect(expose.split(/\s+/).slice(1).map(Number).sort()).toEqual([...listening].sort());
    // The config's own defaults are the same ports: the image also works without these variables.
    const defaults = ConfigSchema.parse({ MQTT_TLS_PORT: '8883', TLS_CERT_FILE: 'c', TLS_KEY_FILE: 'k' });
    expect([defaults.MQTT_PORT, defaults.HTTP_PORT]).toEqual([1883, 8080]);
  });

  it('writes to the InfluxDB service that was set up with the same org, bucket and token', () => {
    const influx = compose['docker-compose.yml']!.services.influxdb!.environment!;
    const env = backend().environment!;
    expect(new URL(env.INFLUX_URL!).host).toBe('influxdb:8086');
    expect(influx.DOCKER_INFLUXDB_INIT_MODE).toBe('setup');
    expect(influx.DOCKER_INFLUXDB_INIT_ORG).toBe(env.INFLUX_ORG);
    expect(influx.DOCKER_INFLUXDB_INIT_BUCKET).toBe(env.INFLUX_BUCKET);
    expect(variableRefs(influx.DOCKER_INFLUXDB_INIT_ADMIN_TOKEN!).map((r) => r.name)).toEqual(['INFLUX_TOKEN']);
    expect(variableRefs(env.INFLUX_TOKEN!).map((r) => r.name)).toEqual(['INFLUX_TOKEN']);
    expect(influx.DOCKER_INFLUXDB_INIT_RETENTION).toMatch(/^\$\{INFLUX_BUCKET_RETENTION:-\w+\}$/);
    // InfluxDB 2 maps each bucket to an InfluxQL database of its own name, the config's default.
    expect(env.INFLUX_DATABASE).toBeUndefined();
  });
});

describe('the cluster profile (deploy/cluster/compose.yml)', () => {
  const nodeEnv = (name: string) => Object.fromEntries(Object.entries(service(name).environment!).map(([k, v]) => [k, interpolate(String(v))]));

  it('is three identical nodes, each with its own data volume, started once the servers they need are healthy', () => {
    for (const name of CLUSTER_NODES) {
      expect(service(name).profiles, name).toEqual(['cluster']);
      expect(service(name).build, name).toBe('.');
      expect(service(name).environment, name).toEqual(service('node1').environment);
      // The single node's TLS mount: the same certificate on every node.
      expect(service(name).volumes, name).toEqual([`${name}-data:/data`, backend().volumes!.find((v) => v.endsWith(':/tls:ro'))]);
      expect(service(name).networks, name).toEqual(['cluster']);
      expect(Object.keys(service(name).depends_on!).sort(), name).toEqual(['influxdb', 'postgres', 'redis']);
    }
    // With the cluster file the single node is the `single` profile's; without it, it is the deployment.
    expect(service(BACKEND).profiles).toEqual(['single']);
    expect(backend().profiles).toBeUndefined();
    // InfluxDB serves both, reachable from the cluster's network too.
    expect(service('influxdb').profiles).toBeUndefined();
    expect(service('influxdb').networks).toEqual(['default', 'cluster']);
  });

  it('gives the nodes a configuration the config module takes: PostgreSQL, Redis, and the balancer as the one proxy', () => {
    const config = loadConfig(nodeEnv('node1'));
    const database = new URL(config.DATABASE_URL!);
    const postgres = service('postgres').environment!;
    expect([database.host, database.pathname.slice(1), database.username]).toEqual(['postgres:5432', postgres.POSTGRES_DB, postgres.POSTGRES_USER]);
    expect(decodeURIComponent(database.password)).toBe(interpolate(postgres.POSTGRES_PASSWORD!));
    const redis = new URL(config.REDIS_URL!);
    expect(redis.host).toBe('redis:6379');
    const requirepass = service('redis').command!;
    expect(redis.password).toBe(interpolate(requirepass[requirepass.indexOf('--requirepass') + 1]!));
    const balancer = (service('haproxy').networks as Record<string, { ipv4_address: string }>).cluster!.ipv4_address;
    expect(balancer.startsWith('172.28.0.')).toBe(true);
    expect(config.MQTT_PROXY_FROM).toEqual([balancer]);
    expect(config.TRUST_PROXY).toEqual([balancer]);
    expect(config.TELEMETRY_STORE).toBe('influxdb');
    // MQTT over TLS as the single node has it, the certificate read from the same mount.
    expect(config.MQTT_TLS_PORT).toBe(8883);
    expect(config.TLS_CERT_FILE).toMatch(/^\/tls\//);
    expect(config.TLS_KEY_FILE).toMatch(/^\/tls\//);
  });

  it('publishes MQTT, MQTT over TLS and HTTP on the balancer alone, with deploy/cluster/haproxy.cfg', () => {
    expect(published(service('haproxy')).sort()).toEqual([1883, 8080, 8883]);
    for (const name of [...CLUSTER_NODES, 'postgres', 'redis']) expect(service(name).ports, name).toBeUndefined();
    expect(service('haproxy').volumes).toEqual(['./deploy/cluster/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro']);
  });

  it('balances to the three nodes exactly as the operator example does, and HAProxy takes the file', () => {
    const cluster = read('deploy/cluster/haproxy.cfg');
    const example = read('deploy/haproxy/haproxy.cfg');
    const servers = (text: string) => text.split('\n').filter((l) => /^\s*server /.test(l));
    // Four backends (MQTT, MQTT over TLS, HTTP, socket.io), each with the three nodes.
    expect(servers(cluster)).toHaveLength(12);
    for (const name of CLUSTER_NODES) expect(servers(cluster).filter((l) => l.includes(` ${name}:`))).toHaveLength(4);
    // Apart from the servers, the comments and how it finds them (Docker's DNS), the same file.
    const settings = (text: string) =>
      text
        .replace(/^resolvers docker\n(\s+nameserver .*\n)+/m, '')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('server ') && !l.includes('resolvers docker'));
    expect(settings(cluster)).toEqual(settings(example));
    const check = execFileSync('haproxy', ['-c', '-f', path.join(ROOT, 'deploy/cluster/haproxy.cfg')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(check).toContain('Configuration file is valid');
  });
});

describe('the Dockerfile', () => {
  it('builds with the same command the tests and npm start use', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts.build).toBe('node scripts/build.mjs');
    // test/compiled-start.test.ts runs that same script.
    expect(read('test/compiled-start.test.ts')).toContain("'scripts/build.mjs'");
    const [build, runtime] = dockerStages();
    expect(build!.lines.filter((l) => l.startsWith('RUN'))).toEqual(
      expect.arrayContaining([expect.stringMatching(/ npm ci( |$)/), 'RUN npm run build', expect.stringMatching(/^RUN npm prune --omit=dev/)]),
    );
    // better-sqlite3's binary is built where it runs: the same Node 24 image family.
    expect(build!.from).toMatch(/^node:24-/);
    expect(runtime!.from).toBe(build!.from);
  });

  it('runs node on the compiled entry directly, as a non-root user, with a health check on /api/health', () => {
    const runtime = dockerStages().at(-1)!;
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    const cmd = runtime.lines.find((l) => l.startsWith('CMD'))!;
    expect(JSON.parse(cmd.slice(3))).toEqual(pkg.scripts.start!.split(' '));
    expect(cmd).not.toContain('npm');
    const user = runtime.lines.filter((l) => l.startsWith('USER')).at(-1);
    expect(user).toBeDefined();
    expect(user!.split(/\s+/)[1]).not.toMatch(/^(root|0)(:|$)/);
    expect(runtime.lines.find((l) => l.startsWith('HEALTHCHECK'))).toContain('/api/health');
    expect(runtime.lines).toContain('STOPSIGNAL SIGTERM');
    expect(runtime.lines.find((l) => l.startsWith('ENV'))).toMatch(/DATA_DIR=\/data/);
    expect(runtime.lines).toContain('VOLUME ["/data"]');
  });

  it('copies into the runtime image what the compiled backend reads', () => {
    const runtime = dockerStages().at(-1)!;
    const copied = runtime.lines.filter((l) => l.startsWith('COPY --from=build')).map((l) => l.split(/\s+/).at(-2));
    expect(copied).toEqual(expect.arrayContaining(['/app/package.json', '/app/node_modules', '/app/dist', '/app/dashboard']));
  });

  it('leaves state, keys and host builds out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', 'data', 'tls', '.env', '.git']));
  });
});

describe('the Grafana provisioning', () => {
  const datasources = parse(read('deploy/grafana/provisioning/datasources/influxdb.yml')) as {
    datasources: Array<{ uid: string; url: string; jsonData: { version: string; dbName: string } }>;
  };
  const dashboard = JSON.parse(read('deploy/grafana/dashboards/fleet-telemetry.json')) as {
    panels: Array<{ title: string; datasource: { uid: string }; targets: Array<{ query: string }> }>;
    templating: { list: Array<{ name: string; query: string; regex?: string }> };
  };

  it('gives Grafana an InfluxQL data source on the InfluxDB service, and the dashboard uses it', () => {
    const [source] = datasources.datasources;
    expect(source!.jsonData.version).toBe('InfluxQL');
    expect(new URL(source!.url).host).toBe('influxdb:8086');
    // Grafana expands the variable from its own environment, which compose.yml sets.
    expect(variableRefs(source!.jsonData.dbName).map((r) => r.name)).toEqual(['INFLUX_BUCKET']);
    expect(Object.keys(compose['deploy/grafana/compose.yml']!.services.grafana!.environment!)).toEqual(
      expect.arrayContaining(['INFLUX_TOKEN', 'INFLUX_BUCKET']),
    );
    expect(dashboard.panels.length).toBeGreaterThan(0);
    for (const panel of dashboard.panels) expect(panel.datasource.uid, panel.title).toBe(source!.uid);
  });

  it('queries the measurement, tag and fields the backend writes', () => {
    for (const panel of dashboard.panels) {
      for (const target of panel.targets) {
        expect(target.query, panel.title).toContain(`FROM "${MEASUREMENT}"`);
        expect(target.query, panel.title).toContain(`"${SERIAL_TAG}" =~ /^$serial$/`);
      }
    }
    const metric = dashboard.templating.list.find((v) => v.name === 'metric')!;
    // Our own integer fields are bookkeeping, not metrics to chart.
    expect(metric.regex).toContain(RECEIVED_AT_FIELD);
    expect(metric.regex).toContain(SEQ_FIELD);
    expect(dashboard.templating.list.find((v) => v.name === 'serial')!.query).toContain(`WITH KEY = "${SERIAL_TAG}"`);
  });
});
