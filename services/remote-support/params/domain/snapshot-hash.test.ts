import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, digestParams } from './snapshot-hash.ts';

describe('snapshot hash', () => {
  it('writes keys in sorted order whatever order the box listed them in', () => {
    expect(canonicalJson({ 'plc.baud': 9600, 'network.apn': 'cmiot', 'alarm.enabled': true })).toBe(
      '{"alarm.enabled":true,"network.apn":"cmiot","plc.baud":9600}',
    );
  });

  it('gives the same hash for the same parameters in another order', () => {
    const a = digestParams({ 'plc.baud': 9600, 'network.apn': 'cmiot' });
    const b = digestParams({ 'network.apn': 'cmiot', 'plc.baud': 9600 });
    expect(a).toEqual(b);
  });

  it('hashes the canonical text as lower-case hex sha256', () => {
    const d = digestParams({ 'plc.baud': 9600 });
    expect(d.text).toBe('{"plc.baud":9600}');
    expect(d.hash).toBe(createHash('sha256').update('{"plc.baud":9600}').digest('hex'));
    expect(d.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('tells a number from the same digits as text', () => {
    expect(digestParams({ 'plc.baud': 9600 }).hash).not.toBe(digestParams({ 'plc.baud': '9600' }).hash);
  });

  it('counts the size in UTF-8 bytes, not characters', () => {
    const d = digestParams({ 'system.site': 'Wuxi 无锡' });
    expect(d.text).toBe('{"system.site":"Wuxi 无锡"}');
    expect(d.size).toBe(d.text.length + 4);
  });

  it('sorts nested objects too and keeps array order', () => {
    expect(canonicalJson({ b: [3, { d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[3,{"c":2,"d":1}]}');
  });
});
