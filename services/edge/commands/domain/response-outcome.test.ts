import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CommandChunk } from '../../../contract/payloads.ts';
import type { Assembly } from './chunk-assembly.ts';
import { applyResponse, deadlineOutcome, type ResponseStep } from './response-outcome.ts';

function chunksOf(text: string, parts: number): CommandChunk[] {
  const sha256 = createHash('sha256').update(text, 'utf8').digest('hex');
  const size = Math.ceil(text.length / parts);
  return Array.from({ length: parts }, (_, part) => ({
    id: 'c-1',
    ok: true as const,
    part,
    parts,
    sha256,
    data: text.slice(part * size, (part + 1) * size),
  }));
}

function feed(chunks: CommandChunk[]): ResponseStep {
  let assembly: Assembly | null = null;
  for (const c of chunks) {
    const step = applyResponse(assembly, c);
    if (step.kind === 'settled') return step;
    assembly = step.assembly;
  }
  throw new Error('every part was fed and the command still waits');
}

describe('what an answer does to a waiting command', () => {
  it('settles a one-part result as succeeded with the result', () => {
    expect(applyResponse(null, { id: 'c-1', ok: true, result: { pong: 1 } })).toEqual({
      kind: 'settled',
      outcome: { id: 'c-1', status: 'succeeded', result: { pong: 1 } },
    });
  });

  it("settles a box's error as failed with the box's error", () => {
    const error = { code: 'busy', message: 'try later' };
    expect(applyResponse(null, { id: 'c-1', ok: false, error })).toEqual({ kind: 'settled', outcome: { id: 'c-1', status: 'failed', error } });
  });

  it('keeps waiting until every part is in, then settles with the parsed result', () => {
    const chunks = chunksOf(JSON.stringify({ 'plc.baud': 9600, name: 'pump' }), 3);
    const first = applyResponse(null, chunks[2]!);
    expect(first.kind).toBe('waiting');
    expect(feed([chunks[2]!, chunks[0]!, chunks[1]!])).toEqual({
      kind: 'settled',
      outcome: { id: 'c-1', status: 'succeeded', result: { 'plc.baud': 9600, name: 'pump' } },
    });
  });

  it('fails parts that verify but are not JSON as invalid-result', () => {
    expect(feed(chunksOf('not json at all', 2))).toMatchObject({ kind: 'settled', outcome: { status: 'failed', error: { code: 'invalid-result' } } });
  });

  it('fails a reassembled result nested deeper than the JSON limit as invalid-result', () => {
    const deep = '['.repeat(200) + ']'.repeat(200);
    expect(feed(chunksOf(deep, 2))).toMatchObject({ kind: 'settled', outcome: { status: 'failed', error: { code: 'invalid-result' } } });
  });

  it('fails parts whose digest does not match as digest-mismatch', () => {
    const chunks = chunksOf('{"a":1}', 2).map((c) => ({ ...c, sha256: 'f'.repeat(64) }));
    expect(feed(chunks)).toMatchObject({ kind: 'settled', outcome: { status: 'failed', error: { code: 'digest-mismatch' } } });
  });
});

describe('what the deadline does to a waiting command', () => {
  it('times out a command with no answer at all', () => {
    expect(deadlineOutcome('c-1', null)).toEqual({ id: 'c-1', status: 'timed-out' });
  });

  it('fails a chunked answer with parts missing as incomplete-result, naming them', () => {
    const chunks = chunksOf('{"a":"bcdefgh"}', 3);
    const step = applyResponse(null, chunks[1]!);
    if (step.kind !== 'waiting') throw new Error('expected the assembly to wait for more parts');
    expect(deadlineOutcome('c-1', step.assembly)).toEqual({
      id: 'c-1',
      status: 'failed',
      error: { code: 'incomplete-result', message: 'parts 0, 2 of 3 did not arrive before the deadline' },
    });
  });
});
