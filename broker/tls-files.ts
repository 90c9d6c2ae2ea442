import { readFileSync } from 'node:fs';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { ConfigError, type Config } from '../services/platform/config.ts';

export type TlsConfig = Pick<Config, 'TLS_CERT_FILE' | 'TLS_KEY_FILE' | 'TLS_CA_FILE'>;

/** TLS 1.0 and 1.1 are deprecated (RFC 8996). */
export const TLS_MIN_VERSION = 'TLSv1.2';

function read(name: keyof TlsConfig, file: string | undefined): Buffer | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file);
  } catch (err) {
    throw new ConfigError([`${name}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`]);
  }
}

/**
 * Reads the PEM files named by the configuration and checks that they form a usable context
 * (the key matches the certificate), so a bad file stops start-up or is refused on reload
 * instead of failing every handshake.
 */
export function readTlsFiles(config: TlsConfig): SecureContextOptions {
  const cert = read('TLS_CERT_FILE', config.TLS_CERT_FILE);
  const key = read('TLS_KEY_FILE', config.TLS_KEY_FILE);
  const ca = read('TLS_CA_FILE', config.TLS_CA_FILE);
  const options: SecureContextOptions = { cert, key, minVersion: TLS_MIN_VERSION, ...(ca ? { ca } : {}) };
  try {
    createSecureContext(options);
  } catch (err) {
    // OpenSSL's reason names the faulty part (key mismatch, bad PEM); it is passed on as detail.
    throw new ConfigError([`TLS_CERT_FILE, TLS_KEY_FILE${ca ? ', TLS_CA_FILE' : ''}: not a usable certificate and key (${(err as Error).message})`]);
  }
  return options;
}
