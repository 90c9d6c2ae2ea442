import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startApp } from '../services/app.ts';
import { loadConfig } from '../services/platform/config.ts';
import { createLogger } from '../services/platform/logger.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { certificateFactory } from './helpers/test-certificates.ts';
import { waitFor } from './helpers/wait-for.ts';

/** Binds a loopback port and answers it with the server holding it. */
async function occupy(port = 0): Promise<{ port: number; server: net.Server }> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { port: (server.address() as net.AddressInfo).port, server };
}

const close = (server: net.Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('MQTT listeners at start', () => {
  const dir = tempDir('mtbox-listeners-');
  afterAll(() => dir.remove());

  it('refuses to start when the TLS port is taken, and frees the plain port it had bound', async () => {
    const server = certificateFactory(dir.path).selfSignedServer('listeners');
    // A free port for the plain listener: found, then released for the backend to take.
    const plain = await occupy();
    await close(plain.server);
    const taken = await occupy();
    const config = loadConfig({
      MQTT_PORT: String(plain.port),
      MQTT_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      HTTP_HOST: '127.0.0.1',
      DATA_DIR: dir.path,
      ADMIN_PASSWORD: 'listener-test-password',
      LOG_LEVEL: 'silent',
      MQTT_TLS_PORT: String(taken.port),
      TLS_CERT_FILE: server.cert,
      TLS_KEY_FILE: server.key,
    });
    try {
      await expect(startApp(config, { logger: createLogger('silent') })).rejects.toThrow(/EADDRINUSE/);
      // Bindable again only once the broker closed the plain listener it had opened.
      const again = await waitFor(() => occupy(plain.port), { what: 'the plain MQTT port to be free again' });
      await close(again.server);
    } finally {
      await close(taken.server);
    }
  });
});
