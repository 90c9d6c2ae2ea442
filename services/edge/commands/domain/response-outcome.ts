import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../../../contract/json-limits.ts';
import type { CommandError, CommandResponse } from '../../../contract/payloads.ts';
import { addPart, missingParts, type Assembly } from './chunk-assembly.ts';
import type { CommandOutcome, CommandStatus } from './command-port.ts';

/** An outcome that carries an error; `status` is `timed-out` for the give-ups that are not the box's fault. */
export function failedOutcome(id: string, code: string, message: string, status: CommandStatus = 'failed'): CommandOutcome {
  const error: CommandError = { code, message };
  return { id, status, error };
}

/** After one cmd/res message: still waiting for more parts, or the command's outcome. */
export type ResponseStep = { kind: 'waiting'; assembly: Assembly } | { kind: 'settled'; outcome: CommandOutcome };

/**
 * What one answer does to a waiting command (docs/protocol.md, "Commands"): an error or a
 * one-part result settles it; a part is added to the assembly, which settles it once every part
 * is in, verified and parsed.
 */
export function applyResponse(assembly: Assembly | null, response: CommandResponse): ResponseStep {
  if (!response.ok) return settled({ id: response.id, status: 'failed', error: response.error });
  if (!('part' in response)) return settled({ id: response.id, status: 'succeeded', result: response.result });
  const step = addPart(assembly, response);
  if (step.kind === 'incomplete') return { kind: 'waiting', assembly: step.assembly };
  if (step.kind === 'failed') return settled(failedOutcome(response.id, step.code, step.message));
  let result: unknown;
  try {
    result = JSON.parse(step.text);
  } catch {
    return settled(failedOutcome(response.id, 'invalid-result', 'the reassembled result is not JSON'));
  }
  // The same bound as a one-part answer (docs/protocol.md, "JSON limits").
  if (jsonDepthExceeds(result)) return settled(failedOutcome(response.id, 'invalid-result', `the result nests deeper than ${MAX_JSON_DEPTH} levels`));
  return settled({ id: response.id, status: 'succeeded', result });
}

/** At the deadline: a chunked answer with parts missing failed (and says which); no answer at all timed out. */
export function deadlineOutcome(id: string, assembly: Assembly | null): CommandOutcome {
  const missing = assembly ? missingParts(assembly) : [];
  return missing.length > 0
    ? failedOutcome(id, 'incomplete-result', `parts ${missing.join(', ')} of ${assembly!.parts} did not arrive before the deadline`)
    : { id, status: 'timed-out' };
}

function settled(outcome: CommandOutcome): ResponseStep {
  return { kind: 'settled', outcome };
}
