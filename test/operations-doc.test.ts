import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_COMMANDS } from '../services/platform/admin/index.ts';
import { ConfigSchema } from '../services/platform/config.ts';
import { startTestBackend, type TestBackend } from './helpers/backend.ts';
import { parseExposition } from './helpers/prometheus-text.ts';

/*
 * docs/operations.md is what an operator acts on, so what it names must exist: every file and
 * test it points to, every setting, every metric (and every metric the backend exports is
 * described there), every admin command (and every command is in its table). The behaviour
 * each section describes is tested by the tests it names; this keeps the names honest.
 */

const ROOT = path.resolve(import.meta.dirname, '..');
const DOC = readFileSync(path.join(ROOT, 'docs/operations.md'), 'utf8');
const TOKEN = 'operations-doc-metrics-token';

/** Every `code span` of the document, fenced blocks included. */
const spans = [...DOC.matchAll(/`([^`\n]+)`/g)].map((m) => m[1] as string);

/** Upper-case names in code spans that are not settings: error codes, shell variables, placeholders. */
const NOT_SETTINGS = new Set(['NOT_READY', 'NEW_PASSWORD', 'DOCKER_INFLUXDB_INIT_RETENTION']);

describe('docs/operations.md', () => {
  it('points only to files that exist', () => {
    const paths = spans
      .map((s) => s.split(/\s+/)[0] as string)
      .filter((s) => /^(services|broker|test|deploy|docs|scripts|bench|device-sim)\/[\w./-]+\.\w+$/.test(s));
    expect(paths.length).toBeGreaterThan(10);
    expect(paths.filter((p) => !existsSync(path.join(ROOT, p)))).toEqual([]);
  });

  it('names only settings the configuration has', () => {
    const settings = new Set(Object.keys(ConfigSchema.shape));
    const named = new Set(spans.flatMap((s) => s.match(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g) ?? []));
    expect([...named].filter((n) => !settings.has(n) && !NOT_SETTINGS.has(n)).sort()).toEqual([]);
  });

  it('lists every admin command, and runs none that does not exist', () => {
    const names = new Set(ADMIN_COMMANDS.map((c) => c.name));
    const documented = new Set([...DOC.matchAll(/^\| `([a-z-]+)[ `]/gm)].map((m) => m[1] as string).filter((n) => names.has(n)));
    // Backups have a section of their own; every other command is a row of the CLI's table.
    const inBackupSection = DOC.slice(DOC.indexOf('## Backups and restore'), DOC.indexOf('## The admin CLI'));
    const missing = [...names].filter((n) => !documented.has(n) && !inBackupSection.includes(`npm run admin -- ${n}`));
    expect(missing).toEqual([]);
    const run = [...DOC.matchAll(/npm run (?:-s )?admin -- ([a-z-]+)/g)].map((m) => m[1] as string);
    expect(run.filter((n) => n !== 'help' && !names.has(n))).toEqual([]);
  });

  describe('and the metrics a backend exports', () => {
    let sqlite: TestBackend;
    let influx: TestBackend;
    beforeAll(async () => {
      sqlite = await startTestBackend({ METRICS_TOKEN: TOKEN });
      // The InfluxDB profile's own metrics; nothing listens on the port, the spool holds what comes.
      influx = await startTestBackend({
        METRICS_TOKEN: TOKEN,
        TELEMETRY_STORE: 'influxdb',
        INFLUX_URL: 'http://127.0.0.1:9',
        INFLUX_TOKEN: 'doc-test-token',
        INFLUX_ORG: 'vendor',
        INFLUX_BUCKET: 'fleet',
      });
    });
    afterAll(async () => {
      await sqlite?.stop();
      await influx?.stop();
    });

    async function exported(backend: TestBackend): Promise<Set<string>> {
      const res = await fetch(`http://127.0.0.1:${backend.app.httpPort}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(200);
      return new Set(parseExposition(await res.text()).types.keys());
    }

    it('documents every metric the backend exports, and names none it does not', async () => {
      const names = new Set([...(await exported(sqlite)), ...(await exported(influx))]);
      // prom-client's process metrics are documented as a family (`mtbox_process_*`, `mtbox_nodejs_*`).
      const ours = [...names].filter((n) => !n.startsWith('mtbox_process_') && !n.startsWith('mtbox_nodejs_'));
      const documented = new Set(spans.filter((s) => /^mtbox_[a-z_]+$/.test(s)));
      expect(ours.filter((n) => !documented.has(n)).sort()).toEqual([]);
      expect([...documented].filter((n) => !names.has(n)).sort()).toEqual([]);
    });
  });
});
