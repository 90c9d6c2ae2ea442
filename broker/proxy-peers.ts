import { BlockList, isIP } from 'node:net';

// The ranges proxy-addr gives these names, so MQTT_PROXY_FROM reads like TRUST_PROXY.
const NAMED_RANGES: Record<string, [string, number][]> = {
  loopback: [
    ['127.0.0.0', 8],
    ['::1', 128],
  ],
  linklocal: [
    ['169.254.0.0', 16],
    ['fe80::', 10],
  ],
  uniquelocal: [
    ['10.0.0.0', 8],
    ['172.16.0.0', 12],
    ['192.168.0.0', 16],
    ['fc00::', 7],
  ],
};

const familyOf = (address: string) => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

/** An entry as (address, prefix) pairs; no prefix for a single address. */
function subnetsOf(entry: string): [string, number | undefined][] {
  const named = NAMED_RANGES[entry];
  if (named) return named;
  const [address = '', prefix] = entry.split('/');
  return [[address, prefix === undefined ? undefined : Number(prefix)]];
}

/**
 * Whether a socket's peer is one of the load balancers MQTT_PROXY_FROM names (entries already
 * checked by the config). An IPv4 peer seen on a dual-stack socket (`::ffff:10.0.0.7`) matches
 * its IPv4 entry.
 */
export function createProxyPeers(entries: readonly string[]): (address: string | undefined) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    for (const [address, prefix] of subnetsOf(entry)) {
      if (prefix === undefined) list.addAddress(address, familyOf(address));
      else list.addSubnet(address, prefix, familyOf(address));
    }
  }
  return (address) => {
    if (address === undefined) return false;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    const plain = mapped ? mapped[1]! : address;
    return list.check(plain, familyOf(plain));
  };
}
