import { TLSSocket } from 'node:tls';

/**
 * What a connection's client certificate says about who it is:
 * none (plain TCP, or TLS without a certificate), a serial vouched for by the configured CA,
 * or a certificate that must be refused (not signed by the CA, expired, no single CN).
 */
export type CertificateIdentity = { kind: 'none' } | { kind: 'serial'; serial: string } | { kind: 'invalid'; reason: string };

/** Reads the verified peer certificate of a broker connection; the TLS server only requests one when TLS_CA_FILE is set. */
export function certificateIdentity(conn: unknown): CertificateIdentity {
  if (!(conn instanceof TLSSocket)) return { kind: 'none' };
  const cert = conn.getPeerCertificate();
  // Node answers an empty object when the client sent no certificate.
  if (!cert || Object.keys(cert).length === 0) return { kind: 'none' };
  // The server requests but does not require certificates, so the handshake completes with an
  // unverified one; it is refused here instead of being treated as no certificate at all.
  if (!conn.authorized) return { kind: 'invalid', reason: String(conn.authorizationError ?? 'not verified') };
  const cn: unknown = cert.subject?.CN;
  if (typeof cn !== 'string') return { kind: 'invalid', reason: 'the subject has no single CN' };
  return { kind: 'serial', serial: cn };
}
