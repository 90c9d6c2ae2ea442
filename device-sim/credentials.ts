import { access } from 'node:fs/promises';
import { DEFAULT_SERIAL_PREFIX, demoDevice, serialFor } from './demo-fleet.ts';
import { CredentialsError, readCredentialsFile, writeCredentialsFile, type BoxCredentials } from './credentials-csv.ts';
import { provisionDevices, type ProvisionOptions } from './provision-client.ts';

export * from './credentials-csv.ts';

export const DEFAULT_CREDENTIALS_FILE = './data/sim-fleet.csv';

export interface FleetCredentialsRequest {
  /** Boxes wanted: serials prefix+000001 … prefix+count. */
  count: number;
  prefix?: string;
  /** Where provisioned credentials are kept between runs. */
  file?: string;
  apiUrl: string;
  /** Needed only when some boxes are not in the file yet. */
  adminPassword?: string;
  /** Today, for the demo customers' sale and receipt dates. */
  now: number;
  fetch?: ProvisionOptions['fetch'];
  log?: (message: string) => void;
}

/**
 * Credentials for `count` demo boxes: those already in the file are reused, so restarting
 * the simulator does not re-provision (and does not rotate secrets under running boxes);
 * only missing ones are provisioned through the HTTP API and then added to the file.
 */
export async function loadOrProvision(req: FleetCredentialsRequest): Promise<BoxCredentials[]> {
  const file = req.file ?? DEFAULT_CREDENTIALS_FILE;
  const prefix = req.prefix ?? DEFAULT_SERIAL_PREFIX;
  const existing = (await exists(file)) ? await readCredentialsFile(file) : [];
  const known = new Map(existing.map((c) => [c.serial, c]));
  const wanted = Array.from({ length: req.count }, (_, i) => serialFor(prefix, i + 1));
  const missing = wanted.filter((s) => !known.has(s));
  if (missing.length > 0) {
    if (!req.adminPassword) {
      throw new CredentialsError(
        'ADMIN_PASSWORD_REQUIRED',
        `${missing.length} of ${req.count} boxes have no credentials in ${file}; give --admin-password (or ADMIN_PASSWORD) to provision them, or --credentials FILE`,
      );
    }
    req.log?.(`provisioning ${missing.length} boxes through ${req.apiUrl}`);
    const provisioned = await provisionDevices(
      missing.map((serial) => demoDevice(serial, req.now, 0)),
      { apiUrl: req.apiUrl, adminPassword: req.adminPassword, fetch: req.fetch, log: req.log },
    );
    for (const c of provisioned) known.set(c.serial, c);
    await writeCredentialsFile(file, [...known.values()]);
    req.log?.(`saved credentials of ${known.size} boxes to ${file}`);
  }
  return wanted.map((s) => known.get(s) as BoxCredentials);
}

/** The first `count` rows of a credentials file given with --credentials (all rows when count is undefined). */
export async function loadCredentialsFile(file: string, count?: number): Promise<BoxCredentials[]> {
  const all = await readCredentialsFile(file);
  if (count !== undefined && count > all.length) {
    throw new CredentialsError('NOT_ENOUGH_CREDENTIALS', `${file} has ${all.length} boxes, --devices asks for ${count}`);
  }
  return count === undefined ? all : all.slice(0, count);
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
