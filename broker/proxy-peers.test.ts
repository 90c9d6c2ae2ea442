import { describe, expect, it } from 'vitest';
import { createProxyPeers } from './proxy-peers.ts';

describe('the load balancers MQTT_PROXY_FROM names', () => {
  it('match by address and by subnet, and nothing else', () => {
    const isProxy = createProxyPeers(['10.0.0.7', '10.1.0.0/16', 'fd00::/8']);
    expect(['10.0.0.7', '10.1.255.3', 'fd12::1'].map(isProxy)).toEqual([true, true, true]);
    expect(['10.0.0.8', '10.2.0.1', 'fe80::1', '127.0.0.1', undefined].map(isProxy)).toEqual([false, false, false, false, false]);
  });

  it('match an IPv4 peer seen on a dual-stack socket', () => {
    expect(createProxyPeers(['10.0.0.7'])('::ffff:10.0.0.7')).toBe(true);
  });

  it('take loopback, linklocal and uniquelocal as proxy-addr does', () => {
    const isProxy = createProxyPeers(['loopback', 'linklocal', 'uniquelocal']);
    expect(['127.0.0.2', '::1', '169.254.1.1', 'fe80::1', '172.16.0.1', '192.168.1.1', 'fd00::1'].map(isProxy)).toEqual(Array(7).fill(true));
    expect(['172.32.0.1', '8.8.8.8', '2001:db8::1'].map(isProxy)).toEqual([false, false, false]);
  });
});
