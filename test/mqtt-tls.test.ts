import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import mqttPacket from 'mqtt-packet';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimBox } from '../device-sim/box.ts';
import { boxTlsFromFiles } from '../device-sim/box-tls-files.ts';
import { startApp } from '../services/app.ts';
import { ConfigError, loadConfig } from '../services/platform/config.ts';
import { createLogger } from '../services/platform/logger.ts';
import { connectBox, startTestBackend, type BoxClientOptions, type TestBackend } from './helpers/backend.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { certificateFactory, type CertificateFactory } from './helpers/test-certificates.ts';
import { waitFor } from './helpers/wait-for.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

/** CONNACK return code of an MQTT-over-TLS attempt (0 = accepted). */
async function connackCode(url: string, serial: string, password: string | undefined, opts: BoxClientOptions): Promise<number> {
  try {
    const c = await connectBox(url, serial, password as string, {
      announce: false,
      ...(password === undefined ? { password: undefined } : {}),
      ...opts,
    });
    await c.endAsync();
    return 0;
  } catch (err) {
    return (err as { code?: number }).code ?? -1;
  }
}

/** The subject CN of the certificate a fresh TLS handshake with the server presents. */
function serverCertificateCn(port: number, ca: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ port, host: '127.0.0.1', ca }, () => {
      const cn = s.getPeerCertificate().subject.CN;
      s.end();
      resolve(String(cn));
    });
    s.once('error', reject);
  });
}

function closedWithoutConnack(port: number, write: (s: net.Socket) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = net.connect(port, '127.0.0.1', () => write(s));
    s.on('data', (d: Buffer) => chunks.push(d));
    s.on('close', () => resolve(Buffer.concat(chunks)));
    s.on('error', reject);
  });
}

const CONNACK_FIRST_BYTE = 0x20;

describe('MQTT over TLS', () => {
  const dir = tempDir('mtbox-tls-');
  let certs: CertificateFactory;
  let server: { cert: string; key: string };
  let boxCa: { cert: string; key: string };
  let backend: TestBackend;
  let a: { serial: string; secret: string };
  let b: { serial: string; secret: string };
  let certOnly: { serial: string; secret: string };
  const refusals = () => backend.app.broker.stats().refusals;
  // What a box trusts and presents.
  const trust = () => ({ ca: certs.read(server.cert) });
  const withCertificate = (cert: { cert: string; key: string }) => ({ ...trust(), cert: certs.read(cert.cert), key: certs.read(cert.key) });

  beforeAll(async () => {
    certs = certificateFactory(dir.path);
    const first = certs.selfSignedServer('first');
    // The backend reads these paths; the reload test overwrites them.
    server = { cert: path.join(dir.path, 'server.crt'), key: path.join(dir.path, 'server.key') };
    copyFileSync(first.cert, server.cert);
    copyFileSync(first.key, server.key);
    boxCa = certs.ca('box-ca');
    backend = await startTestBackend({ MQTT_TLS_PORT: '0', TLS_CERT_FILE: server.cert, TLS_KEY_FILE: server.key, TLS_CA_FILE: boxCa.cert });
    [a, b, certOnly] = (await backend.app.provision(['MTB2611000401', 'MTB2611000402', 'MTB2611000403'])) as [typeof a, typeof b, typeof certOnly];
  });
  afterAll(async () => {
    await backend.stop();
    dir.remove();
  });

  it('connects a box with its secret over TLS, trusting a self-signed server certificate', async () => {
    const c = await connectBox(backend.mqttsUrl, a.serial, a.secret, trust());
    expect(backend.app.broker.isConnected(a.serial)).toBe(true);
    const socket = (c as unknown as { stream: tls.TLSSocket }).stream;
    expect(['TLSv1.2', 'TLSv1.3']).toContain(socket.getProtocol());
    await c.endAsync();
  });

  it('gives plain MQTT on the TLS port no CONNACK', async () => {
    const answer = await closedWithoutConnack(backend.app.broker.tlsPort!, (s) =>
      s.write(
        mqttPacket.generate({
          cmd: 'connect',
          protocolId: 'MQTT',
          protocolVersion: 4,
          clientId: a.serial,
          username: a.serial,
          password: Buffer.from(a.secret),
          clean: true,
          keepalive: 30,
        }),
      ),
    );
    expect(answer[0]).not.toBe(CONNACK_FIRST_BYTE);
    expect(backend.app.broker.isConnected(a.serial)).toBe(false);
  });

  it('puts the pre-auth guard in front of TLS connections too', async () => {
    const before = refusals()['packet-too-large'];
    const closed = await new Promise<boolean>((resolve, reject) => {
      const s = tls.connect({ port: backend.app.broker.tlsPort!, host: '127.0.0.1', ca: certs.read(server.cert) }, () => {
        // CONNECT declaring 200,000,000 bytes, then a trickle of body.
        s.write(Buffer.from([0x10, 0x80, 0x84, 0xaf, 0x5f]));
        s.write(Buffer.alloc(16 * 1024));
      });
      s.on('close', () => resolve(true));
      s.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? undefined : reject(err)));
    });
    expect(closed).toBe(true);
    expect(refusals()['packet-too-large']).toBe(before + 1);
  });

  it('authenticates a box by a client certificate whose CN is its serial, without a password', async () => {
    const cert = certs.client(certOnly.serial, boxCa);
    expect(await connackCode(backend.mqttsUrl, certOnly.serial, undefined, withCertificate(cert))).toBe(0);
  });

  it('refuses a client certificate issued to another serial, even with the right password', async () => {
    const other = certs.client(b.serial, boxCa, 'issued-to-b');
    const before = refusals()['bad-certificate'];
    expect(await connackCode(backend.mqttsUrl, a.serial, a.secret, withCertificate(other))).toBe(5);
    expect(refusals()['bad-certificate']).toBe(before + 1);
  });

  it('refuses a client certificate that the configured CA did not sign', async () => {
    const stranger = certs.ca('stranger-ca');
    const forged = certs.client(a.serial, stranger, 'forged-a');
    expect(await connackCode(backend.mqttsUrl, a.serial, undefined, withCertificate(forged))).toBe(5);
    expect(await connackCode(backend.mqttsUrl, a.serial, a.secret, withCertificate(forged))).toBe(5);
  });

  it('refuses a box that must use a certificate when it brings only its password', async () => {
    const res = await fetch(`${backend.api}/devices/${b.serial}`, {
      method: 'PATCH',
      headers: { ...(await backend.adminHeaders()), 'content-type': 'application/json' },
      body: JSON.stringify({ requireCertificate: true }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { requireCertificate: boolean }).requireCertificate).toBe(true);
    expect(await connackCode(backend.mqttsUrl, b.serial, b.secret, trust())).toBe(5);
    expect(await connackCode(backend.mqttUrl, b.serial, b.secret, {})).toBe(5);
    expect(refusals()['certificate-required']).toBe(2);
    const cert = certs.client(b.serial, boxCa, 'b-own');
    expect(await connackCode(backend.mqttsUrl, b.serial, undefined, withCertificate(cert))).toBe(0);
  });

  it('connects simulated boxes with --ca, and with their own certificates from --cert-dir', async () => {
    const caOnly = boxTlsFromFiles({ ca: server.cert });
    const bySecret = new SimBox({ serial: a.serial, secret: a.secret, mqttUrl: backend.mqttsUrl, tls: caOnly(a.serial)! });
    bySecret.start();
    await bySecret.waitOnline();
    await bySecret.stop();
    certs.client(a.serial, boxCa);
    const withCertDir = boxTlsFromFiles({ ca: server.cert, certDir: certs.dir });
    // A wrong secret: only the certificate found in the directory can let this box in.
    const byCertificate = new SimBox({ serial: a.serial, secret: 'not-the-secret', mqttUrl: backend.mqttsUrl, tls: withCertDir(a.serial)! });
    byCertificate.start();
    await byCertificate.waitOnline();
    await byCertificate.stop();
  });

  it('swaps the server certificate on reload, keeping connected boxes', async () => {
    const c: MqttClient = await connectBox(backend.mqttsUrl, a.serial, a.secret, trust());
    let closed = false;
    c.on('close', () => (closed = true));
    const second = certs.selfSignedServer('second');
    copyFileSync(second.cert, server.cert);
    copyFileSync(second.key, server.key);
    backend.app.broker.reloadTls();
    expect(await serverCertificateCn(backend.app.broker.tlsPort!, certs.read(second.cert))).toBe('second');
    // The box still talks over its old session.
    await c.publishAsync(`mtbox/${a.serial}/status`, JSON.stringify({ state: 'online', fw: '2.4.1', model: 'MT-BOX-4G', ts: Date.now() }), {
      qos: 1,
    });
    expect(closed).toBe(false);
    expect(backend.app.broker.isConnected(a.serial)).toBe(true);
    await c.endAsync();
  });

  it('keeps the current certificate when a reload finds unusable files', async () => {
    const current = certs.read(server.cert);
    const unrelated = certs.selfSignedServer('unrelated');
    copyFileSync(unrelated.key, server.key);
    expect(() => backend.app.broker.reloadTls()).toThrow(ConfigError);
    expect(await serverCertificateCn(backend.app.broker.tlsPort!, current)).toBe('second');
  });
});

describe('MQTT over TLS only', () => {
  it('starts without the plain listener when MQTT_PORT is off', async () => {
    const dir = tempDir('mtbox-tls-only-');
    const certs = certificateFactory(dir.path);
    const server = certs.selfSignedServer('only');
    const backend = await startTestBackend({ MQTT_PORT: 'off', MQTT_TLS_PORT: '0', TLS_CERT_FILE: server.cert, TLS_KEY_FILE: server.key });
    try {
      expect(backend.app.broker.port).toBeNull();
      expect(backend.mqttUrl).toBe('');
      const [box] = await backend.app.provision(['MTB2611000501']);
      const c = await connectBox(backend.mqttsUrl, box!.serial, box!.secret, { ca: certs.read(server.cert) });
      expect(backend.app.broker.isConnected(box!.serial)).toBe(true);
      await c.endAsync();
    } finally {
      await backend.stop();
      dir.remove();
    }
  });

  it('refuses to start when a TLS file cannot be read, naming the variable', async () => {
    const dir = tempDir('mtbox-tls-bad-');
    const server = certificateFactory(dir.path).selfSignedServer('bad');
    const config = loadConfig({
      MQTT_PORT: '0',
      MQTT_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      HTTP_HOST: '127.0.0.1',
      DATA_DIR: dir.path,
      ADMIN_PASSWORD: 'tls-test-password',
      LOG_LEVEL: 'silent',
      MQTT_TLS_PORT: '0',
      TLS_CERT_FILE: server.cert,
      TLS_KEY_FILE: path.join(dir.path, 'missing.key'),
    });
    try {
      await expect(startApp(config, { logger: createLogger('silent') })).rejects.toThrow(/TLS_KEY_FILE: cannot read/);
    } finally {
      dir.remove();
    }
  });
});

describe('SIGHUP on the backend process', () => {
  const dir = tempDir('mtbox-sighup-');
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
    dir.remove();
  });

  it('re-reads the TLS certificate without dropping a connected box', async () => {
    const certs = certificateFactory(dir.path);
    const first = certs.selfSignedServer('first');
    const files = { cert: path.join(dir.path, 'server.crt'), key: path.join(dir.path, 'server.key') };
    copyFileSync(first.cert, files.cert);
    copyFileSync(first.key, files.key);
    child = spawn(process.execPath, ['--import', 'tsx', 'services/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        MQTT_PORT: 'off',
        MQTT_TLS_PORT: '0',
        TLS_CERT_FILE: files.cert,
        TLS_KEY_FILE: files.key,
        HTTP_PORT: '0',
        MQTT_HOST: '127.0.0.1',
        HTTP_HOST: '127.0.0.1',
        DATA_DIR: path.join(dir.path, 'data'),
        ADMIN_PASSWORD: 'sighup-test-password',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const ports = await waitFor(
      () => {
        const line = out.split('\n').find((l) => l.includes('"mqtts"') && l.includes('"http"'));
        return line ? (JSON.parse(line) as { mqtts: number; http: number }) : null;
      },
      { timeoutMs: 20_000, what: 'backend process to start' },
    );
    const api = `http://127.0.0.1:${ports.http}/api`;
    const login = await fetch(`${api}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'sighup-test-password' }),
    });
    const { token } = (await login.json()) as { token: string };
    const created = await fetch(`${api}/devices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ serial: 'MTB2611000601', model: 'MT-BOX-4G' }),
    });
    const { secret } = (await created.json()) as { secret: string };
    const box = await connectBox(`mqtts://127.0.0.1:${ports.mqtts}`, 'MTB2611000601', secret, { ca: certs.read(first.cert) });
    let closed = false;
    box.on('close', () => (closed = true));

    const second = certs.selfSignedServer('second');
    copyFileSync(second.cert, files.cert);
    copyFileSync(second.key, files.key);
    child.kill('SIGHUP');
    await waitFor(() => serverCertificateCn(ports.mqtts, certs.read(second.cert)).then((cn) => cn === 'second'), {
      what: 'the new certificate after SIGHUP',
    });
    await box.publishAsync('mtbox/MTB2611000601/status', JSON.stringify({ state: 'online', fw: '2.4.1', model: 'MT-BOX-4G', ts: Date.now() }), {
      qos: 1,
    });
    expect(closed).toBe(false);
    await box.endAsync();
  });
});
