import { sha256Hex } from '../../../kernel/digest.ts';

/**
 * JSON text with every object's keys in code-point order, so the same parameters give the
 * same text (and hash) whatever order the box listed them in.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

export interface SnapshotDigest {
  /** The canonical JSON text; what is stored. */
  text: string;
  /** Lower-case hex sha256 of `text` as UTF-8. */
  hash: string;
  /** UTF-8 bytes of `text`. */
  size: number;
}

/** The canonical text of a parameter set with its sha256 and size. */
export function digestParams(params: Readonly<Record<string, unknown>>): SnapshotDigest {
  const text = canonicalJson(params);
  return { text, hash: sha256Hex(text), size: Buffer.byteLength(text, 'utf8') };
}
