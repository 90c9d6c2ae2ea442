import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from './helpers/backend.ts';
import { rawConnect } from './helpers/raw-connect.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { certificateFactory } from './helpers/test-certificates.ts';
import { freePort, managed } from './helpers/time-series-servers.ts';
import { waitFor } from './helpers/wait-for.ts';

/*
 * deploy/haproxy/haproxy.cfg is what an operator puts in front of the nodes: HAProxy must take
 * it as written, and, with only the node addresses and listening ports changed to loopback
 * ones, it must carry boxes to the nodes with their own address and the API to a ready node.
 */

const CONFIG = path.resolve(import.meta.dirname, '../deploy/haproxy/haproxy.cfg');
const PLANT = '127.0.0.2';
const SERIAL = 'MTB2611000401';
const TLS_SERIAL = 'MTB2611000402';
const SHARED_SECRET = 'haproxy-config-test-secret-1';

interface NodePorts {
  mqtt: number;
  mqtts: number;
  http: number;
}

/** The example with its two nodes and its three listeners moved to the given loopback ports. */
function onLoopback(text: string, nodes: [NodePorts, NodePorts], listen: NodePorts): string {
  const nodeOf = (name: string) => nodes[Number(name.slice('node'.length)) - 1]!;
  return (
    text
      .replace(/^(\s*server (node\d+)) 10\.0\.0\.\d+:(1883|8883)(.*) port 8080/gm, (_m, head: string, name: string, port: string, rest: string) => {
        const node = nodeOf(name);
        return `${head} 127.0.0.1:${port === '1883' ? node.mqtt : node.mqtts}${rest} port ${node.http}`;
      })
      .replace(/^(\s*server (node\d+)) 10\.0\.0\.\d+:8080/gm, (_m, head: string, name: string) => `${head} 127.0.0.1:${nodeOf(name).http}`)
      .replace(/^(\s*)bind :1883$/m, `$1bind 127.0.0.1:${listen.mqtt}`)
      .replace(/^(\s*)bind :8883$/m, `$1bind 127.0.0.1:${listen.mqtts}`)
      .replace(/^(\s*)bind :8080$/m, `$1bind 127.0.0.1:${listen.http}`)
      // The test machine's `ulimit -n` is below what the example's maxconn needs.
      .replace(/^(\s*)maxconn \d+$/m, '$1maxconn 2000')
  );
}

/** `haproxy -c`'s output; throws with HAProxy's own words when it refuses the file. */
function haproxyCheck(file: string): string {
  try {
    return execFileSync('haproxy', ['-c', '-f', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    throw new Error(`haproxy -c refused ${file}:\n${(err as { stderr?: string }).stderr ?? String(err)}`);
  }
}

describe('deploy/haproxy/haproxy.cfg', () => {
  it('is a valid HAProxy configuration, without warnings', () => {
    const output = haproxyCheck(CONFIG);
    expect(output).toContain('Configuration file is valid');
    expect(output).not.toContain('WARNING');
  });

  it('sends PROXY v2 to the MQTT and MQTT-over-TLS nodes, checks /api/ready on their HTTP port, and keeps no box on one node', () => {
    const text = readFileSync(CONFIG, 'utf8');
    for (const port of [1883, 8883]) {
      const mqttServers = text.match(new RegExp(`^\\s*server node\\d+ \\S+:${port} .*$`, 'gm')) ?? [];
      expect(mqttServers.length, `servers on ${port}`).toBeGreaterThanOrEqual(2);
      for (const line of mqttServers) expect(line).toMatch(/ send-proxy-v2 check port 8080$/);
    }
    // TLS is passed through to the nodes, not terminated here: they check box certificates.
    expect(text).toMatch(/^\s*bind :8883$/m);
    expect(text).toMatch(/^\s*balance leastconn$/m);
    expect(text).toMatch(/^\s*http-check send meth GET uri \/api\/ready$/m);
    expect(text).toMatch(/^\s*option forwardfor$/m);
    expect(text).toMatch(/^\s*timeout tunnel \S+$/m);
  });

  describe('in front of two real nodes', () => {
    let nodes: TestBackend[];
    let listen: NodePorts;
    let haproxy: ReturnType<typeof managed>;
    const held: net.Socket[] = [];
    const certDir = tempDir('mtbox-haproxy-tls-');
    let serverCert: { cert: string; key: string };

    beforeAll(async () => {
      serverCert = certificateFactory(certDir.path).selfSignedServer('node');
      const env = {
        MQTT_PROXY_FROM: '127.0.0.1',
        TRUST_PROXY: 'loopback',
        MQTT_TLS_PORT: '0',
        TLS_CERT_FILE: serverCert.cert,
        TLS_KEY_FILE: serverCert.key,
      };
      nodes = [await startTestBackend(env), await startTestBackend(env)];
      for (const node of nodes) await node.app.provision([SERIAL, TLS_SERIAL], SHARED_SECRET);
      const ports = nodes.map((n) => ({ mqtt: n.app.mqttPort, mqtts: n.app.broker.tlsPort!, http: n.app.httpPort })) as [NodePorts, NodePorts];
      listen = { mqtt: await freePort(), mqtts: await freePort(), http: await freePort() };
      const dir = tempDir('haproxy-config-');
      const file = path.join(dir.path, 'haproxy.cfg');
      writeFileSync(file, onLoopback(readFileSync(CONFIG, 'utf8'), ports, listen));
      haproxyCheck(file);
      haproxy = managed(
        () => spawn('haproxy', ['-f', file, '-db'], { cwd: dir.path, stdio: ['ignore', 'pipe', 'pipe'] }),
        async () => (await fetch(`http://127.0.0.1:${listen.http}/api/ready`)).status === 200,
        'HAProxy',
        () => dir.remove(),
      );
      await haproxy.start();
    });
    afterAll(async () => {
      for (const socket of held) socket.destroy();
      await haproxy?.remove();
      for (const node of nodes ?? []) await node.stop();
      certDir.remove();
    });

    /** Where each node last saw the box, null where it has not. */
    const addresses = (serial: string) =>
      Promise.all(
        nodes.map(async (node) => {
          const res = await fetch(`${node.api}/devices/${serial}`, { headers: await node.adminHeaders() });
          return ((await res.json()) as { presence: { address: string | null } }).presence.address;
        }),
      );

    it('carries a box to a node, which sees the address the box connected from', async () => {
      expect(await rawConnect(listen.mqtt, SERIAL, SHARED_SECRET, { from: PLANT, keep: held })).toBe(0);
      await waitFor(async () => (await addresses(SERIAL)).includes(PLANT), { what: "the box's address on the node it reached" });
    });

    it("passes MQTT over TLS through to a node, which does the handshake and sees the box's address", async () => {
      // The box trusts the nodes' certificate only: HAProxy does not terminate TLS.
      const tls = { ca: readFileSync(serverCert.cert) };
      expect(await rawConnect(listen.mqtts, TLS_SERIAL, SHARED_SECRET, { from: PLANT, tls, keep: held })).toBe(0);
      await waitFor(async () => (await addresses(TLS_SERIAL)).includes(PLANT), { what: "the TLS box's address on the node it reached" });
    });

    it('serves the API of a ready node through the balancer', async () => {
      const res = await fetch(`http://127.0.0.1:${listen.http}/api/ready`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ ready: true });
    });
  });
});
