import type { AuthenticateError, AuthErrorCode, Client } from 'aedes';
import { isSerial } from '../services/contract/topics.ts';
import type { Clock } from '../services/kernel/clock.ts';
import type { DeviceCredentials, DeviceRegistry } from '../services/edge/registry/index.ts';
import { type BoxSecretHasher, verifySecret } from '../services/platform/security/index.ts';
import { remoteAddress, type BoxSessions } from './box-sessions.ts';
import type { LoginThrottle } from './login-throttle.ts';
import type { RefusalKind, Refusals } from './refusals.ts';
import { certificateIdentity } from './tls-identity.ts';
import type { VerifyGate } from './verify-gate.ts';
import type { ConnectGate } from './connect-gate.ts';

const IDENTIFIER_REJECTED = 2 as AuthErrorCode;
const SERVER_UNAVAILABLE = 3 as AuthErrorCode;
const BAD_USERNAME_OR_PASSWORD = 4 as AuthErrorCode;
const NOT_AUTHORIZED = 5 as AuthErrorCode;

export interface AuthenticateDeps {
  registry: Pick<DeviceRegistry, 'credentials' | 'replaceSecretHash'>;
  boxSecrets: Pick<BoxSecretHasher, 'check' | 'hash' | 'keyId'>;
  throttle: LoginThrottle;
  /** Bounds the scrypt checks of not yet migrated boxes in flight; a full gate refuses with "server unavailable". */
  gate: VerifyGate;
  /** Bounds the CONNECTs being checked at once; one that waits too long is refused with "server unavailable". */
  connectGate: ConnectGate;
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
 * Secrets are checked against a keyed HMAC (microseconds), so a reconnect storm costs no KDF;
 * a box still stored with the older scrypt hash is checked once with scrypt and rewritten.
 */
export function createAuthenticate(deps: AuthenticateDeps): AedesAuthenticate {
  /** scrypt through the bounded gate; null when the gate is full. */
  const verifyLegacy = (secret: string, encoded: string): Promise<boolean> | null => {
    const check = deps.gate.run(() => verifySecret(secret, encoded));
    return check ? check.catch(() => false) : null;
  };

  const check = checkLogin(deps, verifyLegacy);
  return function authenticate(client, username, password, done) {
    deps.connectGate.enter(
      (release) => {
        let answered = false;
        const answer: typeof done = (err, ok) => {
          if (answered) return;
          answered = true;
          release();
          done(err, ok);
        };
        check(client, username, password, answer);
      },
      () => {
        deps.refusals.refuse('overloaded', { address: remoteAddress(client), serial: username ?? null, detail: 'waited too long for a login slot' });
        const err = new Error('overloaded') as AuthenticateError;
        err.returnCode = SERVER_UNAVAILABLE;
        done(err, false);
      },
    );
  };
}

/** One CONNECT's decision, run inside the connect gate. */
function checkLogin(deps: AuthenticateDeps, verifyLegacy: (secret: string, encoded: string) => Promise<boolean> | null): AedesAuthenticate {
  return function check(client, username, password, done) {
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

    deps.registry
      .credentials(serial)
      .then(async (creds) => {
        if (!creds) {
          // Under an address ban an unknown serial is answered like a known one, so the ban does not reveal which exist.
          if (ban === 'address') return refuse('banned', NOT_AUTHORIZED, false, `${address} is temporarily banned`);
          return refuse('unknown-serial', BAD_USERNAME_OR_PASSWORD, true);
        }
        if (cert.kind === 'serial') return accept(creds);
        if (creds.requireCertificate) return refuse('certificate-required', NOT_AUTHORIZED, true, 'password without a client certificate');
        const secret = (password as Buffer).toString('utf8');
        const verdict = deps.boxSecrets.check(secret, creds.secretHash);
        if (verdict.result === 'match') return accept(creds);
        // A correct secret passes an address ban (boxes behind a guesser's NAT keep working); a
        // wrong one still counts against the pair, so guessing one serial ends in a pair ban.
        if (ban === 'address') return refuse('banned', NOT_AUTHORIZED, verdict.result === 'mismatch', `${address} is temporarily banned`);
        if (verdict.result === 'mismatch') return refuse('wrong-secret', BAD_USERNAME_OR_PASSWORD, true);
        if (verdict.result === 'other-key') {
          // Not the box's fault: BOX_SECRET_KEY or DATA_DIR/box-secret.key changed since it was provisioned.
          const detail = `secret hash made under key ${verdict.storedKeyId}, this server's key is ${deps.boxSecrets.keyId}: the key id does not match`;
          return refuse('wrong-secret', BAD_USERNAME_OR_PASSWORD, false, detail);
        }
        const verified = await verifyLegacy(secret, creds.secretHash);
        if (verified === null) return refuse('overloaded', SERVER_UNAVAILABLE, false, 'too many logins being checked');
        if (!verified) return refuse('wrong-secret', BAD_USERNAME_OR_PASSWORD, true);
        // Its next CONNECT is an HMAC check; a failed rewrite only means another scrypt next time.
        await deps.registry.replaceSecretHash(serial, creds.secretHash, deps.boxSecrets.hash(secret)).catch(() => false);
        accept(creds);
      })
      // Also a fault in the check itself: the box hears "server unavailable", its slot is freed.
      .catch((err: unknown) => {
        const e = new Error(`login not checked: ${String(err)}`) as AuthenticateError;
        e.returnCode = SERVER_UNAVAILABLE;
        done(e, false);
      });
  };
}
