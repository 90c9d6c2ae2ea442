import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AuthenticateError, AuthErrorCode, Client } from 'aedes';
import { isSerial } from '../services/contract/topics.ts';
import type { Clock } from '../services/kernel/clock.ts';
import type { DeviceCredentials, DeviceRegistry } from '../services/edge/registry/index.ts';
import { verifySecret } from '../services/platform/security/index.ts';
import { remoteAddress, type BoxSessions } from './box-sessions.ts';
import type { LoginThrottle } from './login-throttle.ts';
import type { RefusalKind, Refusals } from './refusals.ts';
import { certificateIdentity } from './tls-identity.ts';
import type { VerifyGate } from './verify-gate.ts';

const IDENTIFIER_REJECTED = 2 as AuthErrorCode;
const SERVER_UNAVAILABLE = 3 as AuthErrorCode;
const BAD_USERNAME_OR_PASSWORD = 4 as AuthErrorCode;
const NOT_AUTHORIZED = 5 as AuthErrorCode;

export interface AuthenticateDeps {
  registry: Pick<DeviceRegistry, 'credentials'>;
  throttle: LoginThrottle;
  /** Bounds the scrypt checks in flight; a full gate refuses with "server unavailable". */
  gate: VerifyGate;
  refusals: Refusals;
  sessions: BoxSessions;
  clock: Clock;
}

type AedesAuthenticate = (
  client: Client,
  username: Readonly<string | undefined>,
  password: Readonly<Buffer | undefined>,
  done: (error: AuthenticateError | null, success: boolean | null) => void,
) => void;

type Refuse = (kind: RefusalKind, code: AuthErrorCode, countsAsFailure: boolean, detail?: string) => void;

/**
 * Box login: client id = username = serial, and either the secret issued at provisioning as the
 * password, or (over TLS with TLS_CA_FILE) a client certificate whose subject CN is the serial.
 * A successful scrypt check is remembered as a keyed digest so that a reconnect storm of
 * thousands of boxes costs one hash each, not one scrypt each; the same digest lets a box
 * through when its address is banned, so boxes sharing a NAT with a guesser keep working.
 */
export function createAuthenticate(deps: AuthenticateDeps): AedesAuthenticate {
  const cacheKey = randomBytes(32);
  const verified = new Map<string, { secretHash: string; digest: Buffer }>();
  const digest = (password: Buffer) => createHash('sha256').update(cacheKey).update(password).digest();
  const isCached = (creds: DeviceCredentials, password: Buffer) => {
    const cached = verified.get(creds.serial);
    return cached !== undefined && cached.secretHash === creds.secretHash && timingSafeEqual(cached.digest, digest(password));
  };

  return function authenticate(client, username, password, done) {
    const address = remoteAddress(client) ?? 'unknown';
    const cert = certificateIdentity(client.conn);
    // With a certificate the username may be left out: the CN names the box.
    const serial = username ?? (cert.kind === 'serial' ? cert.serial : '');
    const now = deps.clock();

    const refuse: Refuse = (kind, code, countsAsFailure, detail) => {
      if (countsAsFailure) deps.throttle.failure(address, isSerial(serial) ? serial : null, now);
      deps.refusals.refuse(kind, { address, serial, ...(detail ? { detail } : {}) });
      const err = new Error(kind) as AuthenticateError;
      err.returnCode = code;
      done(err, false);
    };
    const accept = (creds: DeviceCredentials) => {
      // Checked after the credentials so a disabled box's refusal does not reveal it exists to a guesser.
      if (!creds.enabled) return refuse('disabled', NOT_AUTHORIZED, false);
      deps.throttle.success(address, serial);
      deps.sessions.set(client, { deviceId: creds.id, serial, address });
      done(null, true);
    };

    if (!isSerial(serial)) return refuse('bad-serial', BAD_USERNAME_OR_PASSWORD, true);
    // No takeover of another box's session: the client id must be the authenticated serial.
    if (client.id !== serial) return refuse('client-id-mismatch', IDENTIFIER_REJECTED, true, `client id ${client.id}`);
    if (cert.kind === 'invalid') return refuse('bad-certificate', NOT_AUTHORIZED, true, cert.reason);
    if (cert.kind === 'serial' && cert.serial !== serial) {
      return refuse('bad-certificate', NOT_AUTHORIZED, true, `certificate issued to ${cert.serial}`);
    }
    // A certificate signed by our CA cannot be guessed, so no ban applies to it.
    const ban = cert.kind === 'serial' ? null : deps.throttle.banned(address, serial, now);
    if (ban === 'pair') return refuse('banned', NOT_AUTHORIZED, false, `${serial} from ${address} is temporarily banned`);
    if (cert.kind === 'none' && (!password || password.length === 0 || password.length > 256)) {
      return refuse('wrong-secret', BAD_USERNAME_OR_PASSWORD, true, 'no or oversized password');
    }

    deps.registry.credentials(serial).then(
      async (creds) => {
        if (!creds) {
          // Under an address ban an unknown serial is answered like a known one, so the ban does not reveal which exist.
          if (ban === 'address') return refuse('banned', NOT_AUTHORIZED, false, `${address} is temporarily banned`);
          return refuse('unknown-serial', BAD_USERNAME_OR_PASSWORD, true);
        }
        if (cert.kind === 'serial') return accept(creds);
        if (creds.requireCertificate) return refuse('certificate-required', NOT_AUTHORIZED, true, 'password without a client certificate');
        const secret = password as Buffer;
        if (isCached(creds, secret)) return accept(creds);
        // A banned address gets no scrypt check at all: only boxes already verified pass.
        if (ban === 'address') return refuse('banned', NOT_AUTHORIZED, false, `${address} is temporarily banned`);
        const check = deps.gate.run(() => verifySecret(secret.toString('utf8'), creds.secretHash));
        if (!check) return refuse('overloaded', SERVER_UNAVAILABLE, false, 'too many logins being checked');
        if (!(await check.catch(() => false))) return refuse('wrong-secret', BAD_USERNAME_OR_PASSWORD, true);
        verified.set(serial, { secretHash: creds.secretHash, digest: digest(secret) });
        accept(creds);
      },
      (err: unknown) => {
        const e = new Error(`registry unavailable: ${String(err)}`) as AuthenticateError;
        e.returnCode = SERVER_UNAVAILABLE;
        done(e, false);
      },
    );
  };
}
