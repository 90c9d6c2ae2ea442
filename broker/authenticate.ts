import { createHash, randomBytes } from 'node:crypto';
import type { AuthenticateError, AuthErrorCode, Client } from 'aedes';
import { isSerial } from '../services/contract/topics.ts';
import type { Clock } from '../services/clock.ts';
import type { DeviceRegistry } from '../services/registry/domain/registry-port.ts';
import { verifySecret } from '../services/security/secrets.ts';
import { remoteAddress, type BoxSessions } from './box-sessions.ts';
import type { LoginThrottle } from './login-throttle.ts';
import type { RefusalKind, Refusals } from './refusals.ts';

const BAD_USERNAME_OR_PASSWORD = 4 as AuthErrorCode;
const NOT_AUTHORIZED = 5 as AuthErrorCode;
const IDENTIFIER_REJECTED = 2 as AuthErrorCode;

export interface AuthenticateDeps {
  registry: Pick<DeviceRegistry, 'credentials'>;
  throttle: LoginThrottle;
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

/**
 * Box login: client id = username = serial, password = the secret issued at provisioning.
 * A successful scrypt check is remembered as a keyed digest so that a reconnect storm of
 * thousands of boxes costs one hash each, not one scrypt each.
 */
export function createAuthenticate(deps: AuthenticateDeps): AedesAuthenticate {
  const cacheKey = randomBytes(32);
  const verified = new Map<string, { secretHash: string; digest: string }>();
  const digest = (password: Buffer) => createHash('sha256').update(cacheKey).update(password).digest('base64');

  return function authenticate(client, username, password, done) {
    const address = remoteAddress(client);
    const serial = username ?? '';
    const now = deps.clock();

    function refuse(kind: RefusalKind, code: AuthErrorCode, countsAsFailure: boolean, detail?: string) {
      if (countsAsFailure) deps.throttle.failure(address ?? 'unknown', serial, now);
      deps.refusals.refuse(kind, { address, serial, ...(detail ? { detail } : {}) });
      const err = new Error(kind) as AuthenticateError;
      err.returnCode = code;
      done(err, false);
    }

    const ban = deps.throttle.banned(address ?? 'unknown', serial, now);
    if (ban) return refuse('banned', NOT_AUTHORIZED, false, `${ban} is temporarily banned`);
    if (!isSerial(serial)) return refuse('bad-serial', BAD_USERNAME_OR_PASSWORD, true);
    // No takeover of another box's session: the client id must be the authenticated serial.
    if (client.id !== serial) return refuse('client-id-mismatch', IDENTIFIER_REJECTED, true, `client id ${client.id}`);
    if (!password || password.length === 0 || password.length > 256) {
      return refuse('wrong-secret', BAD_USERNAME_OR_PASSWORD, true, 'no or oversized password');
    }

    deps.registry.credentials(serial).then(async (creds) => {
      if (!creds) return refuse('unknown-serial', BAD_USERNAME_OR_PASSWORD, true);
      const d = digest(password);
      const cached = verified.get(serial);
      const ok =
        (cached?.secretHash === creds.secretHash && cached.digest === d) ||
        (await verifySecret(password.toString('utf8'), creds.secretHash));
      if (!ok) return refuse('wrong-secret', BAD_USERNAME_OR_PASSWORD, true);
      verified.set(serial, { secretHash: creds.secretHash, digest: d });
      // Checked after the secret so a disabled box's refusal does not reveal it exists to a guesser.
      if (!creds.enabled) return refuse('disabled', NOT_AUTHORIZED, false);
      deps.throttle.success(address ?? 'unknown', serial);
      deps.sessions.set(client, { deviceId: creds.id, serial, address });
      done(null, true);
    }, (err: unknown) => {
      const e = new Error(`registry unavailable: ${String(err)}`) as AuthenticateError;
      e.returnCode = 3 as AuthErrorCode;
      done(e, false);
    });
  };
}
