import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, HEADER_BYTES, MAX_DATA_BYTES, tunnelIdFromText, tunnelIdText, type TunnelFrame } from './tunnel-frames.ts';

const id = Buffer.from('00112233445566778899aabbccddeeff', 'hex');

describe('tunnel frames', () => {
  it('lays out type, tunnel id and big-endian sequence number before the body', () => {
    const bytes = encodeFrame({ kind: 'data', tunnelId: id, seq: 0x01020304, data: Buffer.from('hi') });
    expect(bytes.toString('hex')).toBe(`04${id.toString('hex')}01020304${Buffer.from('hi').toString('hex')}`);
    expect(bytes.length).toBe(HEADER_BYTES + 2);
  });

  it('decodes what it encodes, for every frame type', () => {
    const frames: TunnelFrame[] = [
      { kind: 'open', tunnelId: id, seq: 0, body: { host: '192.168.1.10', port: 502, idleS: 300 } },
      { kind: 'opened', tunnelId: id, seq: 0 },
      { kind: 'refused', tunnelId: id, seq: 0, body: { code: 'not-allowed', message: 'port 23 is not on the allow-list' } },
      { kind: 'data', tunnelId: id, seq: 7, data: randomBytes(MAX_DATA_BYTES) },
      { kind: 'ack', tunnelId: id, seq: 3, acked: 0xffff_fffe },
      { kind: 'close', tunnelId: id, seq: 9, body: { reason: 'idle' } },
    ];
    for (const frame of frames) expect(decodeFrame(encodeFrame(frame))).toEqual({ ok: true, frame });
  });

  it('answers a reason in words for anything that is not a frame, never throws', () => {
    const valid = encodeFrame({ kind: 'data', tunnelId: id, seq: 0, data: Buffer.from('x') });
    const cases: Array<[Buffer, RegExp]> = [
      [Buffer.alloc(5), /header/],
      [Buffer.concat([Buffer.from([0x09]), valid.subarray(1)]), /unknown frame type 0x09/],
      [valid.subarray(0, HEADER_BYTES), /DATA carries 1 to/],
      [Buffer.concat([valid.subarray(0, HEADER_BYTES), Buffer.alloc(MAX_DATA_BYTES + 1)]), /DATA carries 1 to/],
      [Buffer.concat([Buffer.from([0x05]), valid.subarray(1, HEADER_BYTES), Buffer.alloc(3)]), /4-byte/],
      [Buffer.concat([Buffer.from([0x02]), valid.subarray(1)]), /OPENED has no body/],
      [Buffer.concat([Buffer.from([0x01]), valid.subarray(1, HEADER_BYTES), Buffer.from('{"host":')]), /not UTF-8 JSON/],
      [Buffer.concat([Buffer.from([0x01]), valid.subarray(1, HEADER_BYTES), Buffer.from('{"host":"a","port":0,"idleS":1}')]), /OPEN body/],
      [Buffer.concat([Buffer.from([0x06]), valid.subarray(1, HEADER_BYTES), Buffer.from([0xff, 0xfe])]), /not UTF-8 JSON/],
    ];
    for (const [payload, reason] of cases) {
      const r = decodeFrame(payload);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(reason);
    }
  });

  it('refuses to encode what the protocol does not allow', () => {
    expect(() => encodeFrame({ kind: 'data', tunnelId: id, seq: 0, data: Buffer.alloc(0) })).toThrow(RangeError);
    expect(() => encodeFrame({ kind: 'opened', tunnelId: id.subarray(1), seq: 0 })).toThrow(RangeError);
    expect(() => encodeFrame({ kind: 'opened', tunnelId: id, seq: -1 })).toThrow(RangeError);
  });

  it('writes a tunnel id as hex and reads only well-formed hex back', () => {
    expect(tunnelIdFromText(tunnelIdText(id))).toEqual(id);
    expect(tunnelIdFromText('00112233')).toBeNull();
    expect(tunnelIdFromText('zz112233445566778899aabbccddeeff')).toBeNull();
  });
});
