/*
 * Where a webhook may point. A customer names the URL, and the backend makes the request, so
 * an address inside our own network (loopback, private, link-local such as the cloud
 * metadata service at 169.254.169.254) would let them reach what the internet cannot (SSRF).
 * These are refused unless the operator allows them (WEBHOOK_ALLOW_PRIVATE, e.g. a plant's
 * system on the same LAN), both when the URL is saved and at every delivery, since a name can
 * resolve elsewhere later (DNS rebinding).
 */

export type TargetRefusal = 'not-http' | 'credentials-in-url' | 'private-address' | 'unresolvable';

/** The URL parsed for delivery, or why it is refused outright (scheme, user:password@). */
export function parseWebhookUrl(text: string): { ok: true; url: URL } | { ok: false; reason: TargetRefusal } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'not-http' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'not-http' };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'credentials-in-url' };
  return { ok: true, url };
}

function ipv4Parts(ip: string): number[] | null {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
  return parts.map(Number);
}

function privateIpv4([a, b]: number[]): boolean {
  return (
    a === 0 || // "this network"
    a === 10 ||
    a === 127 ||
    (a === 100 && b! >= 64 && b! <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) ||
    (a === 172 && b! >= 16 && b! <= 31) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    a! >= 224 // multicast and reserved
  );
}

/** Whether an IP address (v4 or v6, as DNS answers it) is one a webhook may not reach. */
export function isPrivateAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, '').toLowerCase();
  const v4 = ipv4Parts(ip);
  if (v4) return privateIpv4(v4);
  // IPv4-mapped IPv6 (::ffff:10.0.0.1) is the IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (mapped) return isPrivateAddress(mapped[1]!);
  if (!ip.includes(':')) return true; // not an address at all: refuse rather than guess
  if (ip === '::' || ip === '::1') return true;
  const first = Number.parseInt(ip.split(':')[0] || '0', 16);
  return (
    (first & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (first & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (first & 0xff00) === 0xff00 // multicast
  );
}
