import { z } from 'zod';
import { CommandError, type CommandChunk, type CommandResponse } from '../services/contract/payloads.ts';
import { sha256Hex } from './command-chunks.ts';

/**
 * Misbehaviour a test can switch on per command name, to see how the backend copes.
 * - `fail`: answer this error instead of doing the work.
 * - `silent`: do the work and remember the answer, but never send it (the answer is lost);
 *   the backend times out. A repeat of the id after the fault is lifted gets the answer.
 * - `dropPart`: leave out this part index of a chunked answer (`incomplete-result`).
 * - `corruptDigest`: send a chunked answer whose parts all carry a wrong sha256 (`digest-mismatch`).
 * - `delayMs`: send every answer this long after the request arrived (the work is done at once).
 */
export const CommandFaults = z
  .object({
    fail: z.record(z.string(), CommandError).optional(),
    silent: z.array(z.string()).optional(),
    dropPart: z.record(z.string(), z.number().int().nonnegative()).optional(),
    corruptDigest: z.array(z.string()).optional(),
    delayMs: z.number().int().nonnegative().optional(),
  })
  .strict();
export type CommandFaults = z.infer<typeof CommandFaults>;

/** What actually goes on the wire for a command's answer, with the delivery faults applied. */
export function deliveredAnswer(name: string, responses: readonly CommandResponse[], faults: CommandFaults): CommandResponse[] {
  if (faults.silent?.includes(name)) return [];
  const drop = faults.dropPart?.[name];
  const corrupt = faults.corruptDigest?.includes(name) ?? false;
  const out: CommandResponse[] = [];
  for (const response of responses) {
    if (!isChunk(response)) out.push(response);
    else if (response.part === drop) continue;
    // The same wrong digest on every part: they agree with each other, but not with the text.
    else out.push(corrupt ? { ...response, sha256: sha256Hex(`corrupted:${response.sha256}`) } : response);
  }
  return out;
}

export function isChunk(response: CommandResponse): response is CommandChunk {
  return 'part' in response;
}
