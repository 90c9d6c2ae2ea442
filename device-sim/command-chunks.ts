import { createHash } from 'node:crypto';
import { COMMAND_CHUNK_BYTES, MAX_COMMAND_PARTS, type CommandChunk, type CommandResponse } from '../services/contract/payloads.ts';

/** Lower-case hex SHA-256 of the text's UTF-8 bytes. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The answer messages for a result whose JSON text is `resultJson`: one `{id, ok, result}`
 * when it fits in COMMAND_CHUNK_BYTES, otherwise its parts (docs/protocol.md, "Commands").
 */
export function chunkResult(id: string, resultJson: string, maxBytes = COMMAND_CHUNK_BYTES): CommandResponse[] {
  if (Buffer.byteLength(resultJson, 'utf8') <= maxBytes) return [{ id, ok: true, result: JSON.parse(resultJson) as unknown }];
  const slices = sliceUtf8(resultJson, maxBytes);
  if (slices.length > MAX_COMMAND_PARTS) throw new RangeError(`result of ${id} needs ${slices.length} parts, more than ${MAX_COMMAND_PARTS}`);
  const sha256 = sha256Hex(resultJson);
  return slices.map((data, part) => ({ id, ok: true, part, parts: slices.length, sha256, data }));
}

/**
 * Cuts text into slices of at most `maxBytes` UTF-8 bytes, each ending on a character
 * boundary, so the slices decode on their own and concatenate back to `text` exactly.
 */
export function sliceUtf8(text: string, maxBytes: number): string[] {
  // A UTF-8 character is at most 4 bytes; a smaller slice could not always make progress.
  if (maxBytes < 4) throw new RangeError('slices must hold at least 4 bytes');
  const bytes = Buffer.from(text, 'utf8');
  const slices: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(start + maxBytes, bytes.length);
    // Continuation bytes are 10xxxxxx; back up until the next slice starts on a lead byte.
    while (end < bytes.length && ((bytes[end] as number) & 0xc0) === 0x80) end--;
    slices.push(bytes.toString('utf8', start, end));
    start = end;
  }
  return slices;
}

export type Reassembled =
  | { ok: true; text: string; result: unknown }
  | { ok: false; code: 'incomplete-result' | 'digest-mismatch' | 'invalid-result'; message: string };

/**
 * What the backend does with the parts of one answer: join them in `part` order, check the
 * digest, parse. Duplicates (a redelivered answer) are ignored; a partial result is never used.
 */
export function reassemble(parts: readonly CommandChunk[]): Reassembled {
  const first = parts[0];
  if (!first) return { ok: false, code: 'incomplete-result', message: 'no parts' };
  if (parts.some((p) => p.parts !== first.parts)) return { ok: false, code: 'incomplete-result', message: 'parts disagree on their number' };
  if (parts.some((p) => p.sha256 !== first.sha256)) return { ok: false, code: 'digest-mismatch', message: 'parts disagree on the digest' };
  const byIndex = new Map<number, string>();
  for (const p of parts) if (p.part < first.parts && !byIndex.has(p.part)) byIndex.set(p.part, p.data);
  const missing = Array.from({ length: first.parts }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length > 0) return { ok: false, code: 'incomplete-result', message: `missing part(s) ${missing.join(', ')} of ${first.parts}` };
  const text = Array.from({ length: first.parts }, (_, i) => byIndex.get(i) ?? '').join('');
  if (sha256Hex(text) !== first.sha256) return { ok: false, code: 'digest-mismatch', message: 'joined text does not match sha256' };
  try {
    return { ok: true, text, result: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, code: 'invalid-result', message: 'joined text is not JSON' };
  }
}
