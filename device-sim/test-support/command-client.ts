import { CommandResponse, StatusPayload, type CommandChunk, type CommandError } from '../../services/contract/payloads.ts';
import { topicFor } from '../../services/contract/topics.ts';
import { reassemble } from '../command-chunks.ts';
import { isChunk } from '../command-faults.ts';
import { MqttProbe, type ProbeMessage } from './mqtt-probe.ts';

export interface CommandAnswer {
  id: string;
  /** Every message received for this id so far, in arrival order. */
  responses: CommandResponse[];
  /** What the backend makes of them: the result (reassembled if chunked) or the error. */
  outcome: { ok: true; result: unknown; parts: number } | { ok: false; error: CommandError };
}

export interface SendOptions {
  id?: string;
  /** Epoch ms; default 60 s from now. */
  deadline?: number;
}

/**
 * Plays the backend for one box over a raw mqtt.js client: publishes `cmd/req` and collects
 * `cmd/res`, reassembling chunked answers the way docs/protocol.md tells the backend to.
 */
export class CommandClient {
  private counter = 0;

  private constructor(
    readonly probe: MqttProbe,
    readonly serial: string,
  ) {}

  static async connect(url: string, serial: string): Promise<CommandClient> {
    const probe = await MqttProbe.connect(url, [topicFor(serial, 'cmd/res'), topicFor(serial, 'status')]);
    return new CommandClient(probe, serial);
  }

  /** Resolves once the box has said it is online `times` times; it subscribes to cmd/req before that. */
  async waitOnline(times = 1): Promise<void> {
    await this.probe.waitFor((m) => this.isStatus(m, 'online'), times);
  }

  async waitOffline(times = 1): Promise<void> {
    await this.probe.waitFor((m) => this.isStatus(m, 'offline'), times);
  }

  /** Publishes a request and returns its id. */
  async send(name: string, args: Record<string, unknown> = {}, options: SendOptions = {}): Promise<string> {
    const id = options.id ?? `cmd-${++this.counter}`;
    const deadline = options.deadline ?? Date.now() + 60_000;
    await this.probe.publish(topicFor(this.serial, 'cmd/req'), JSON.stringify({ id, name, args, deadline }));
    return id;
  }

  /** Sends a request and waits for its whole answer. */
  async call(name: string, args: Record<string, unknown> = {}, options: SendOptions = {}): Promise<CommandAnswer> {
    return this.answer(await this.send(name, args, options));
  }

  /** The answer to `id` once complete (one message, or every part); `copies` waits for repeats. */
  async answer(id: string, copies = 1, timeoutMs = 10_000): Promise<CommandAnswer> {
    const [first] = await this.probe.waitFor(this.isAnswerTo(id), 1, timeoutMs);
    const parsed = CommandResponse.parse(first?.json);
    const perCopy = isChunk(parsed) ? parsed.parts : 1;
    await this.probe.waitFor(this.isAnswerTo(id), perCopy * copies, timeoutMs);
    return this.collected(id);
  }

  /** Everything received for `id` so far, judged as the backend would judge it now. */
  collected(id: string): CommandAnswer {
    const responses = this.responsesTo(id);
    const chunks = responses.filter(isChunk);
    const plain = responses.find((r) => !isChunk(r));
    if (plain && 'error' in plain) return { id, responses, outcome: { ok: false, error: plain.error } };
    if (plain && 'result' in plain) return { id, responses, outcome: { ok: true, result: plain.result, parts: 1 } };
    const joined = reassemble(chunks as CommandChunk[]);
    return {
      id,
      responses,
      outcome: joined.ok
        ? { ok: true, result: joined.result, parts: chunks[0]?.parts ?? 0 }
        : { ok: false, error: { code: joined.code, message: joined.message } },
    };
  }

  responsesTo(id: string): CommandResponse[] {
    return this.probe.messages.filter(this.isAnswerTo(id)).map((m) => CommandResponse.parse(m.json));
  }

  close(): Promise<void> {
    return this.probe.close();
  }

  private isAnswerTo(id: string) {
    return (m: ProbeMessage) => m.topic === topicFor(this.serial, 'cmd/res') && (m.json as { id?: unknown } | undefined)?.id === id;
  }

  private isStatus(m: ProbeMessage, state: 'online' | 'offline'): boolean {
    return m.topic === topicFor(this.serial, 'status') && StatusPayload.safeParse(m.json).data?.state === state;
  }
}
