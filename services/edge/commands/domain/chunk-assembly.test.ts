import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CommandChunk } from '../../../contract/payloads.ts';
import { addPart, missingParts, type Assembly } from './chunk-assembly.ts';

const text = JSON.stringify({ 'network.apn': 'cmiot', 'points.1.name': '温度 sensor', 'plc.baud': 9600 });
const sha = createHash('sha256').update(text).digest('hex');
const slices = [text.slice(0, 20), text.slice(20, 45), text.slice(45)];
const chunk = (part: number, over: Partial<CommandChunk> = {}): CommandChunk => ({
  id: 'c-1',
  ok: true,
  part,
  parts: 3,
  sha256: sha,
  data: slices[part]!,
  ...over,
});

function feed(chunks: CommandChunk[]) {
  let assembly: Assembly | null = null;
  for (const c of chunks) {
    const step = addPart(assembly, c);
    if (step.kind !== 'incomplete') return step;
    assembly = step.assembly;
  }
  return { kind: 'incomplete' as const, assembly: assembly! };
}

describe('chunked result reassembly', () => {
  it('joins parts in part order whatever order they arrive in, and checks the digest', () => {
    expect(feed([chunk(2), chunk(0), chunk(1)])).toEqual({ kind: 'complete', text });
  });

  it('counts a redelivered part once', () => {
    const step = feed([chunk(0), chunk(0), chunk(1)]);
    expect(step.kind).toBe('incomplete');
    if (step.kind === 'incomplete') expect(missingParts(step.assembly)).toEqual([2]);
  });

  it('fails on a digest mismatch instead of answering a corrupt result', () => {
    const step = feed([chunk(0), chunk(1), chunk(2, { data: slices[2]!.replace('9600', '9601') })]);
    expect(step).toMatchObject({ kind: 'failed', code: 'digest-mismatch' });
  });

  it('fails when parts disagree on their count or digest', () => {
    expect(feed([chunk(0), chunk(1, { parts: 4 })])).toMatchObject({ kind: 'failed', code: 'inconsistent-parts' });
    expect(feed([chunk(0), chunk(1, { sha256: 'f'.repeat(64) })])).toMatchObject({ kind: 'failed', code: 'inconsistent-parts' });
    expect(feed([chunk(3, { parts: 3 })])).toMatchObject({ kind: 'failed', code: 'inconsistent-parts' });
  });
});
