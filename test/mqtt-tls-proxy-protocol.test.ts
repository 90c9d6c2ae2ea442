import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from './helpers/backend.ts';
import { type HaproxyServer, startHaproxy } from './helpers/engines.ts';
import { rawConnect } from './helpers/raw-connect.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { certificateFactory, type CertificateFactory } from './helpers/test-certificates.ts';
import { waitFor } from './helpers/wait-for.ts';

/*
 * MQTT over TLS behind a load balancer (issue 15): HAProxy passes the TLS bytes through to the
 * TLS port untouched (mode tcp, not terminated) behind a PROXY protocol v2 header, which the
 * broker reads before the handshake; the box's address then reaches the TLS socket, and client
 * certificates still log boxes in. As in mqtt-proxy-protocol.test.ts, the whole of 127/8 is
 * local on Linux: boxes bind 127.0.0.2 and .3, the balancer is 127.0.0.1.
 */

const BALANCER = '127.0.0.1';
const PLANT_A = '127.0.0.2';
const PLANT_B = '127.0.0.3';
const CONNECT_TIMEOUT_MS = 1000;

type Box = { serial: string; secret: string };

/** How a TLS attempt that gets no CONNACK ends: the server closed it before or during the handshake. */
function handshakeOutcome(socket: tls.TLSSocket): Promise<'secure' | 'failed'> {
  return new Promise((resolve) => {
    socket.once('secureConnect', () => {
      socket.destroy();
      resolve('secure');
    });
    socket.once('error', () => resolve('failed'));
    socket.once('close', () => resolve('failed'));
  });
}

describe('MQTT over TLS behind HAProxy with the PROXY protocol', () => {
  const dir = tempDir('mtbox-tls-proxy-');
  let certs: CertificateFactory;
  let boxCa: { cert: string; key: string };
  let serverCert: string;
  let backend: TestBackend;
  let haproxy: HaproxyServer;
  let tlsPort: number;
  let viaBalancer: number;
  let boxes: Box[];
  const held: net.Socket[] = [];
  const refusals = () => backend.app.broker.stats().refusals;
  const trust = () => ({ ca: certs.read(serverCert) });

  async function presenceAddress(serial: string): Promise<string | null> {
    const res = await fetch(`${backend.api}/devices/${serial}`, { headers: await backend.adminHeaders() });
    expect(res.status).toBe(200);
    return ((await res.json()) as { presence: { address: string | null } }).presence.address;
  }

  beforeAll(async () => {
    certs = certificateFactory(dir.path);
    const server = certs.selfSignedServer('broker');
    serverCert = server.cert;
    boxCa = certs.ca('box-ca');
    backend = await startTestBackend({
      MQTT_PROXY_FROM: BALANCER,
      MQTT_TLS_PORT: '0',
      TLS_CERT_FILE: server.cert,
      TLS_KEY_FILE: server.key,
      TLS_CA_FILE: boxCa.cert,
      LOGIN_FAILURES_BEFORE_BAN: '3',
      CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
    });
    tlsPort = backend.app.broker.tlsPort!;
    haproxy = await startHaproxy({
      frontends: [{ name: 'mqtt_tls', mode: 'tcp', backends: [{ host: '127.0.0.1', port: tlsPort, sendProxyV2: true }] }],
    });
    viaBalancer = haproxy.port('mqtt_tls');
    boxes = await backend.app.provision(['MTB2611000701', 'MTB2611000702', 'MTB2611000703', 'MTB2611000704']);
  });
  afterAll(async () => {
    for (const socket of held) socket.destroy();
    await haproxy?.remove();
    await backend?.stop();
    dir.remove();
  });

  it("sees a box on MQTT over TLS through HAProxy (send-proxy-v2, TLS passed through) at the box's address", async () => {
    const [box] = boxes as [Box];
    // The box trusts only the broker's certificate: the handshake is with the broker, not HAProxy.
    expect(await rawConnect(viaBalancer, box.serial, box.secret, { from: PLANT_A, tls: trust(), keep: held })).toBe(0);
    await waitFor(async () => (await presenceAddress(box.serial)) === PLANT_A, { what: "the box's address in its shadow, not the balancer's" });
  });

  it('logs a box in by a client certificate signed by TLS_CA_FILE through the balancer, and refuses a forged one', async () => {
    const [, box] = boxes as [Box, Box];
    const own = certs.client(box.serial, boxCa);
    const withCertificate = (c: { cert: string; key: string }) => ({ ...trust(), cert: certs.read(c.cert), key: certs.read(c.key) });
    expect(await rawConnect(viaBalancer, box.serial, undefined, { from: PLANT_B, tls: withCertificate(own), keep: held })).toBe(0);
    await waitFor(async () => (await presenceAddress(box.serial)) === PLANT_B, { what: "the certificate box's address in its shadow" });
    const forged = certs.client(box.serial, certs.ca('stranger-ca'), 'forged');
    const before = refusals()['bad-certificate'];
    expect(await rawConnect(viaBalancer, box.serial, undefined, { from: PLANT_A, tls: withCertificate(forged) })).toBe(5);
    expect(refusals()['bad-certificate']).toBe(before + 1);
  });

  it('bans the address that guesses through the balancer on TLS, not the balancer: a box elsewhere still gets in', async () => {
    const [, , box] = boxes as [Box, Box, Box];
    const answers: Array<number | 'closed'> = [];
    for (let i = 0; i < 4; i++) answers.push(await rawConnect(viaBalancer, box.serial, `guess-${i}`, { from: PLANT_A, tls: trust() }));
    // Three "bad user name or password", then the (serial, 127.0.0.2) pair is banned.
    expect(answers).toEqual([4, 4, 4, 5]);
    expect(await rawConnect(viaBalancer, box.serial, box.secret, { from: PLANT_A, tls: trust() })).toBe(5);
    expect(await rawConnect(viaBalancer, box.serial, box.secret, { from: PLANT_B, tls: trust() })).toBe(0);
  });

  it("refuses a TLS connection from the balancer's address that comes without a header", async () => {
    const before = refusals()['bad-proxy-header'];
    const raw = net.connect({ port: tlsPort, host: '127.0.0.1', localAddress: BALANCER });
    expect(await handshakeOutcome(tls.connect({ socket: raw, ...trust(), servername: 'localhost' }))).toBe('failed');
    await waitFor(() => refusals()['bad-proxy-header'] === before + 1, { what: 'the ClientHello refused as a PROXY header' });
  });

  it('serves a direct TLS connection from elsewhere without a header, and refuses a header from there', async () => {
    const [, , , box] = boxes as [Box, Box, Box, Box];
    expect(await rawConnect(tlsPort, box.serial, box.secret, { from: PLANT_A, tls: trust() })).toBe(0);
    await waitFor(async () => (await presenceAddress(box.serial)) === PLANT_A, { what: 'the direct box in its shadow' });
    // A PROXY v1 header claiming PLANT_B, then a handshake: the header is read as TLS and the handshake fails.
    const raw = net.connect({ port: tlsPort, host: '127.0.0.1', localAddress: PLANT_A });
    await new Promise<void>((resolve, reject) => raw.once('connect', resolve).once('error', reject));
    raw.write(`PROXY TCP4 ${PLANT_B} ${BALANCER} 40000 8883\r\n`);
    expect(await handshakeOutcome(tls.connect({ socket: raw, ...trust(), servername: 'localhost' }))).toBe('failed');
  });
});
