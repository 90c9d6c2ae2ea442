import type { CommandActor, CommandOutcome, CommandPort } from '../../edge/commands/index.ts';
import { ParamSet } from '../../contract/payloads.ts';

/** A whole parameter set is ~100 KiB, sent in up to seven 16 KiB parts: give it time. */
export const PARAMS_TIMEOUT_MS = 30_000;

export type BoxRead = { ok: true; params: ParamSet } | { ok: false; command: Pick<CommandOutcome, 'id' | 'status' | 'error'>; problem: string };

/** The box's whole parameter set by `params.get {}`; anything but a complete, valid one is a failure. */
export async function readBoxParams(commands: CommandPort, serial: string, actor: CommandActor): Promise<BoxRead> {
  const out = await commands.send(serial, { name: 'params.get', args: {}, timeoutMs: PARAMS_TIMEOUT_MS }, actor);
  const command = { id: out.id, status: out.status, ...(out.error ? { error: out.error } : {}) };
  if (out.status !== 'succeeded') return { ok: false, command, problem: `params.get ${out.status}` };
  const parsed = ParamSet.safeParse(out.result);
  if (!parsed.success) return { ok: false, command, problem: 'the answer is not a parameter set' };
  // Every firmware has parameters; an empty answer is a broken box, not an empty configuration.
  if (Object.keys(parsed.data).length === 0) return { ok: false, command, problem: 'the box answered no parameters' };
  return { ok: true, params: parsed.data };
}
