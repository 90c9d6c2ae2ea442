import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BoxTls } from './box.ts';
import type { FleetTls } from './fleet.ts';

/**
 * TLS settings from files for `--tls`: the CA is read once; with a certificate directory each
 * box presents `<serial>.crt` and `<serial>.key` when both exist, else only its secret.
 */
export function boxTlsFromFiles(opts: { ca?: string; certDir?: string }): FleetTls {
  const ca = opts.ca === undefined ? undefined : readFileSync(opts.ca);
  return (serial) => {
    const tls: BoxTls = ca ? { ca } : {};
    if (opts.certDir === undefined) return tls;
    const cert = path.join(opts.certDir, `${serial}.crt`);
    const key = path.join(opts.certDir, `${serial}.key`);
    if (!existsSync(cert) || !existsSync(key)) return tls;
    return { ...tls, cert: readFileSync(cert), key: readFileSync(key) };
  };
}
