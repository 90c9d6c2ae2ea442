import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Certificates made with the `openssl` CLI for TLS tests: EC P-256, valid for two days. */
export interface CertificateFactory {
  dir: string;
  /** A self-signed server certificate for localhost and 127.0.0.1; `name` is its CN. */
  selfSignedServer(name: string): { cert: string; key: string };
  /** A CA that can sign box certificates. */
  ca(name: string): { cert: string; key: string };
  /** A client certificate with subject CN `cn`, signed by `ca`. */
  client(cn: string, ca: { cert: string; key: string }, name?: string): { cert: string; key: string };
  read(file: string): Buffer;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2'];

export function certificateFactory(dir: string): CertificateFactory {
  const openssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const files = (name: string) => ({ cert: path.join(dir, `${name}.crt`), key: path.join(dir, `${name}.key`) });
  return {
    dir,
    selfSignedServer(name) {
      const f = files(name);
      openssl([
        'req',
        '-x509',
        ...EC,
        '-keyout',
        f.key,
        '-out',
        f.cert,
        '-subj',
        `/CN=${name}`,
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
      ]);
      return f;
    },
    ca(name) {
      const f = files(name);
      openssl(['req', '-x509', ...EC, '-keyout', f.key, '-out', f.cert, '-subj', `/CN=${name}`]);
      return f;
    },
    client(cn, ca, name = cn) {
      const f = files(name);
      const csr = path.join(dir, `${name}.csr`);
      openssl([
        'req',
        '-new',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        f.key,
        '-out',
        csr,
        '-subj',
        `/CN=${cn}`,
      ]);
      openssl(['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-days', '2', '-out', f.cert]);
      return f;
    },
    read: (file) => readFileSync(file),
  };
}
