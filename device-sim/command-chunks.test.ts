import { describe, expect, it } from 'vitest';
import { COMMAND_CHUNK_BYTES, CommandChunk, type CommandResponse, MAX_COMMAND_PARTS } from '../services/contract/payloads.ts';
import { chunkResult, reassemble, sha256Hex, sliceUtf8 } from './command-chunks.ts';

const chunksOf = (responses: CommandResponse[]) => responses.map((r) => CommandChunk.strict().parse(r));
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('command result chunks', () => {
  it('answers a result that fits in 16 KiB as one message carrying the result itself', () => {
    const text = JSON.stringify({ uptime: 12, fw: '3.2.1' });
    expect(chunkResult('c-1', text)).toEqual([{ id: 'c-1', ok: true, result: { uptime: 12, fw: '3.2.1' } }]);
    const exactly = JSON.stringify({ s: 'x'.repeat(COMMAND_CHUNK_BYTES - 8) });
    expect(bytes(exactly)).toBe(COMMAND_CHUNK_BYTES);
    expect(chunkResult('c-2', exactly)).toHaveLength(1);
  });

  it('splits a larger result into parts of at most 16 KiB that carry the digest and join back to the exact text', () => {
    const text = JSON.stringify(Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`points.${i}.name`, `point_${i}`])));
    const parts = chunksOf(chunkResult('c-3', text));
    expect(parts.length).toBe(Math.ceil(bytes(text) / COMMAND_CHUNK_BYTES));
    expect(parts.map((p) => p.part)).toEqual(parts.map((_, i) => i));
    for (const p of parts) {
      expect(p).toMatchObject({ id: 'c-3', ok: true, parts: parts.length, sha256: sha256Hex(text) });
      expect(bytes(p.data)).toBeLessThanOrEqual(COMMAND_CHUNK_BYTES);
    }
    expect(parts.map((p) => p.data).join('')).toBe(text);
    expect(reassemble(parts)).toEqual({ ok: true, text, result: JSON.parse(text) });
  });

  it('never splits a multi-byte character at a slice border', () => {
    // 2-, 3- and 4-byte characters (é, 主, 😀) shifted across every byte offset of a border.
    for (let shift = 0; shift < 8; shift++) {
      const text = 'a'.repeat(shift) + 'é主😀轴°C'.repeat(40);
      const slices = sliceUtf8(text, 16);
      expect(slices.join('')).toBe(text);
      for (const s of slices) {
        expect(bytes(s)).toBeLessThanOrEqual(16);
        expect(s).not.toContain('\uFFFD');
        expect(Buffer.from(s, 'utf8').toString('utf8')).toBe(s);
      }
    }
  });

  it('keeps a Chinese description whose character straddles the 16 KiB border whole in one part', () => {
    // The 3-byte 主 starts one byte before the border: the first slice ends just before it.
    const prefix = '{"d":"' + 'x'.repeat(COMMAND_CHUNK_BYTES - 7);
    const text = `${prefix}主轴转速😀"}`;
    const parts = chunksOf(chunkResult('c-4', text));
    expect(bytes(parts[0]?.data ?? '')).toBe(COMMAND_CHUNK_BYTES - 1);
    expect(parts[1]?.data.startsWith('主轴转速😀')).toBe(true);
    expect(reassemble(parts)).toMatchObject({ ok: true, result: { d: expect.stringMatching(/主轴转速😀$/) } });
  });

  it('reassembles parts that arrive out of order and ignores a redelivered part', () => {
    const text = JSON.stringify({ lines: Array.from({ length: 800 }, (_, i) => `2026-11-02T06:00:00.000Z info  cmd: line ${i} 报警`) });
    const parts = chunksOf(chunkResult('c-5', text));
    expect(parts.length).toBeGreaterThan(2);
    const shuffled = [...parts].reverse();
    expect(reassemble([...shuffled, parts[0] as CommandChunk])).toMatchObject({ ok: true, text });
  });

  it('reports a missing part as incomplete-result and never returns the partial text', () => {
    const text = JSON.stringify({ s: '数据'.repeat(20_000) });
    const parts = chunksOf(chunkResult('c-6', text));
    const result = reassemble(parts.filter((p) => p.part !== 1));
    expect(result).toEqual({ ok: false, code: 'incomplete-result', message: `missing part(s) 1 of ${parts.length}` });
    expect(reassemble([])).toMatchObject({ ok: false, code: 'incomplete-result' });
  });

  it('reports a digest the joined text does not match, or parts that disagree, as the contract says', () => {
    const text = JSON.stringify({ s: 'y'.repeat(40_000) });
    const parts = chunksOf(chunkResult('c-7', text));
    const wrong = sha256Hex('something else');
    expect(reassemble(parts.map((p) => ({ ...p, sha256: wrong })))).toMatchObject({ ok: false, code: 'digest-mismatch' });
    expect(reassemble(parts.map((p, i) => (i === 0 ? { ...p, sha256: wrong } : p)))).toMatchObject({ ok: false, code: 'digest-mismatch' });
    expect(reassemble(parts.map((p, i) => (i === 0 ? { ...p, parts: p.parts + 1 } : p)))).toMatchObject({ ok: false, code: 'incomplete-result' });
    expect(reassemble(parts.map((p, i) => (i === 1 ? { ...p, data: p.data.replace('y', 'z') } : p)))).toMatchObject({
      ok: false,
      code: 'digest-mismatch',
    });
  });

  it(`refuses a result that would need more than ${MAX_COMMAND_PARTS} parts`, () => {
    const text = JSON.stringify('z'.repeat(MAX_COMMAND_PARTS * 4));
    expect(() => chunkResult('c-8', text, 4)).toThrow(RangeError);
  });
});
