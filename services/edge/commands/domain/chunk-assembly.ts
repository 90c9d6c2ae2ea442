import { sha256Hex } from '../../../kernel/digest.ts';
import type { CommandChunk } from '../../../contract/payloads.ts';

/**
 * Reassembly of a chunked command result (docs/protocol.md, "Commands"). Pure apart from
 * hashing: parts may arrive in any order and more than once (QoS 1 redelivery).
 */
export interface Assembly {
  parts: number;
  sha256: string;
  received: Map<number, string>;
}

export type AssemblyStep =
  | { kind: 'incomplete'; assembly: Assembly }
  | { kind: 'complete'; text: string }
  | { kind: 'failed'; code: 'digest-mismatch' | 'inconsistent-parts'; message: string };

/** Adds one part; a complete, verified text comes back once every part is in. */
export function addPart(current: Assembly | null, chunk: CommandChunk): AssemblyStep {
  const assembly = current ?? { parts: chunk.parts, sha256: chunk.sha256, received: new Map<number, string>() };
  if (chunk.parts !== assembly.parts || chunk.sha256 !== assembly.sha256 || chunk.part >= chunk.parts) {
    return {
      kind: 'failed',
      code: 'inconsistent-parts',
      message: `part ${chunk.part} says ${chunk.parts} parts / ${chunk.sha256.slice(0, 12)}…, earlier parts said ${assembly.parts} / ${assembly.sha256.slice(0, 12)}…`,
    };
  }
  const received = new Map(assembly.received).set(chunk.part, chunk.data);
  if (received.size < assembly.parts) return { kind: 'incomplete', assembly: { ...assembly, received } };
  const text = Array.from({ length: assembly.parts }, (_, i) => received.get(i)!).join('');
  const digest = sha256Hex(text);
  if (digest !== assembly.sha256) {
    return {
      kind: 'failed',
      code: 'digest-mismatch',
      message: `the ${assembly.parts} parts hash to ${digest}, the box announced ${assembly.sha256}`,
    };
  }
  return { kind: 'complete', text };
}

/** What is missing when the deadline comes. */
export function missingParts(assembly: Assembly): number[] {
  return Array.from({ length: assembly.parts }, (_, i) => i).filter((i) => !assembly.received.has(i));
}
