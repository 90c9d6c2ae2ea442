import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '../device-sim/lan/free-port.ts';
import { TunnelCliArgsError, parseTunnelArgs } from './cli-args.ts';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));

function problems(argv: string[], env: Record<string, string> = {}): string[] {
  try {
    parseTunnelArgs(argv, env);
  } catch (err) {
    if (err instanceof TunnelCliArgsError) return err.problems;
    throw err;
  }
  return [];
}

describe('npm run tunnel arguments', () => {
  it('reads --url, --token (or MTBOX_TOKEN) and --listen HOST:PORT or PORT', () => {
    const url = 'ws://127.0.0.1:8080/api/sessions/s1/tunnels/0123456789abcdef0123456789abcdef/stream';
    expect(parseTunnelArgs(['--url', url, '--token', 't', '--listen', '127.0.0.1:5020'], {})).toMatchObject({
      url,
      token: 't',
      listen: { host: '127.0.0.1', port: 5020 },
    });
    expect(parseTunnelArgs(['--url', url, '--listen', '1502'], { MTBOX_TOKEN: 'env-token' })).toMatchObject({
      token: 'env-token',
      listen: { host: '127.0.0.1', port: 1502 },
    });
    expect(parseTunnelArgs(['--help'], {})).toEqual({ help: true });
  });

  it('names each bad flag in words', () => {
    expect(problems(['--url', 'http://x/stream', '--listen', 'here'])).toEqual([
      '--url: a ws:// or wss:// URL, the `url` of the opened tunnel',
      '--token: a bearer token is needed (--token or env MTBOX_TOKEN)',
      '--listen: HOST:PORT or PORT, e.g. 127.0.0.1:5020',
    ]);
    expect(problems(['--url', 'ws://x/s', '--token', 't', '--listen', '70000'])).toEqual(['--listen: the port is 0 to 65535']);
    expect(problems(['--bogus'])[0]).toMatch(/Unknown option '--bogus'/);
  });
});

describe('npx mtbox-tunnel', () => {
  it('is the same program as npm run tunnel: package.json names it, and a bad flag exits 2 in words', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { bin?: Record<string, string> };
    expect(pkg.bin?.['mtbox-tunnel']).toBe('tunnel-proxy/bin.mjs');
    const child = spawn(process.execPath, [fileURLToPath(new URL('./bin.mjs', import.meta.url)), '--bogus'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr).toContain("Unknown option '--bogus'");
    expect(stderr).toContain('--url URL');
  });
});

describe('npm run tunnel', () => {
  it('exits 1 with the refusal in words when the backend refuses the token, after the program connected', async () => {
    // A backend that answers every upgrade 401, as the API does for a bad token.
    const backend = createServer((socket) => {
      socket.once('data', () => socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'));
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    const port = await freeLoopbackPort();
    const url = `ws://127.0.0.1:${(backend.address() as AddressInfo).port}/stream`;
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--url', url, '--token', 'expired', '--listen', `127.0.0.1:${port}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    try {
      const deadline = Date.now() + 20_000;
      while (!stderr.includes('listening on')) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the CLI did not start: ${stderr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => {});
      const [code] = await once(child, 'exit');
      expect(code).toBe(1);
      expect(stderr).toContain(`tunnel: listening on 127.0.0.1:${port}; point your PLC software there (one connection)`);
      expect(stderr).toContain('tunnel: error: the backend did not accept the token (HTTP 401): sign in again and pass a fresh --token');
      socket.destroy();
    } finally {
      child.kill();
      await new Promise((resolve) => backend.close(resolve));
    }
  });
});
