import type { CommandRequest, CommandResponse } from '../services/contract/payloads.ts';

type Handler = (request: CommandRequest, now: number) => CommandResponse;

// Dispatch by table; the firmware answers every other command name with unknown-command.
const HANDLERS: Readonly<Record<string, Handler>> = {
  ping: (request, now) => ({ id: request.id, ok: true, result: { pong: true, ts: now } }),
};

/** The response a simulated box sends on cmd/res for one request. */
export function answerCommand(request: CommandRequest, now: number): CommandResponse {
  const handler = HANDLERS[request.name];
  return handler ? handler(request, now) : { id: request.id, ok: false, error: { code: 'unknown-command', message: `unknown command ${request.name}` } };
}
