import { isIP } from 'node:net';
import { z } from 'zod';

/** proxy-addr's names for address ranges, as express's `trust proxy` accepts them. */
const NAMED_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

/** Null when fine, else why an entry of an address list is not an address, a subnet or a named range. */
function entryProblem(entry: string): string | null {
  if (NAMED_RANGES.includes(entry)) return null;
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return `"${entry}" is not an IP address, a subnet (address/prefix) or one of ${NAMED_RANGES.join(', ')}`;
  if (prefix === undefined) return null;
  const bits = family === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= bits ? null : `"${entry}": the prefix length must be 0 to ${bits}`;
}

/** The entries of a comma-separated list of addresses, subnets and named ranges; an issue names a bad one. */
function addressEntries(value: string, ctx: z.RefinementCtx, expected: string): string[] {
  const entries = value.split(',').map((e) => e.trim());
  for (const entry of entries) {
    const problem = entry === '' ? 'an empty entry in the list' : entryProblem(entry);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: `${problem} (expected ${expected})` });
      return z.NEVER;
    }
  }
  return entries;
}

/**
 * A comma-separated list of addresses (`10.0.0.7`), subnets (`10.0.0.0/24`, `fd00::/8`) and
 * loopback/linklocal/uniquelocal, e.g. the load balancers MQTT_PROXY_FROM names.
 */
export const AddressList = z.string().transform((raw, ctx): string[] => addressEntries(raw.trim().toLowerCase(), ctx, 'a list of addresses'));

/**
 * TRUST_PROXY: which hops in front of the backend may tell it the client's address and scheme
 * (X-Forwarded-For, X-Forwarded-Proto), in the values express's `trust proxy` takes: `false`
 * (the default: nobody; the socket is the client), `true` (any hop; only when the backend is
 * reachable through the proxy alone), a hop count, or a comma-separated list of addresses,
 * subnets and loopback/linklocal/uniquelocal.
 */
export const TrustProxy = z.string().transform((raw, ctx): boolean | number | string[] => {
  const value = raw.trim().toLowerCase();
  if (value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return addressEntries(value, ctx, 'false, true, a hop count or a list of addresses');
});
export type TrustProxy = z.output<typeof TrustProxy>;
