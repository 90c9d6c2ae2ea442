import { describe, expect, it } from 'vitest';
import { afterFailedAttempt } from './delivery-backoff.ts';
import { isPrivateAddress, parseWebhookUrl } from './webhook-target.ts';

describe('webhook targets', () => {
  it('refuses addresses inside our own network, IPv4 and IPv6', () => {
    for (const ip of [
      '127.0.0.1',
      '10.0.0.1',
      '172.16.5.4',
      '172.31.255.255',
      '192.168.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fd00::1',
      'fe80::1',
      '::ffff:10.0.0.1',
      '[::1]',
    ]) {
      expect([ip, isPrivateAddress(ip)]).toEqual([ip, true]);
    }
  });

  it('lets public addresses through', () => {
    for (const ip of ['8.8.8.8', '172.32.0.1', '203.0.113.9', '2001:db8::1', '2606:4700::1111', '::ffff:8.8.4.4']) {
      expect([ip, isPrivateAddress(ip)]).toEqual([ip, false]);
    }
  });

  it('takes http(s) URLs without credentials only', () => {
    expect(parseWebhookUrl('https://plant.example.com/hook').ok).toBe(true);
    expect(parseWebhookUrl('file:///etc/passwd')).toEqual({ ok: false, reason: 'not-http' });
    expect(parseWebhookUrl('not a url')).toEqual({ ok: false, reason: 'not-http' });
    expect(parseWebhookUrl('https://a:b@example.com/')).toEqual({ ok: false, reason: 'credentials-in-url' });
  });
});

describe('delivery back-off', () => {
  it('doubles from 30 s, caps at 6 h and gives up after the tenth attempt', () => {
    expect(afterFailedAttempt(1, 0)).toEqual({ state: 'pending', nextAttemptAt: 30_000 });
    expect(afterFailedAttempt(2, 0)).toEqual({ state: 'pending', nextAttemptAt: 60_000 });
    expect(afterFailedAttempt(9, 0)).toEqual({ state: 'pending', nextAttemptAt: 30_000 * 256 });
    expect(afterFailedAttempt(10, 0)).toEqual({ state: 'failed', nextAttemptAt: null });
    // A manual retry after giving up is one more attempt, still refused further retries.
    expect(afterFailedAttempt(11, 0)).toEqual({ state: 'failed', nextAttemptAt: null });
  });
});
