import { connectAsync, type MqttClient } from 'mqtt';

export interface ProbeMessage {
  topic: string;
  payload: Buffer;
  qos: number;
  retain: boolean;
  /** JSON.parse of the payload, or undefined when it is not JSON. */
  json: unknown;
}

/** An mqtt.js subscriber that records everything it receives and lets a test wait for it. */
export class MqttProbe {
  readonly messages: ProbeMessage[] = [];
  private waiters: Array<() => void> = [];

  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => {
      let json: unknown;
      try {
        json = JSON.parse(payload.toString('utf8'));
      } catch {
        json = undefined;
      }
      this.messages.push({ topic, payload, qos: packet.qos, retain: packet.retain, json });
      for (const wake of this.waiters) wake();
    });
  }

  static async connect(
    url: string,
    filter: string | string[],
    clientId = `probe-${process.pid}-${Math.random().toString(36).slice(2)}`,
  ): Promise<MqttProbe> {
    const client = await connectAsync(url, { clientId, protocolVersion: 4, reconnectPeriod: 0, clean: true });
    const probe = new MqttProbe(client);
    await client.subscribeAsync(filter, { qos: 1 });
    return probe;
  }

  /** Messages matching `match`, once there are at least `count`; rejects after `timeoutMs`. */
  async waitFor(match: (m: ProbeMessage) => boolean, count = 1, timeoutMs = 10_000): Promise<ProbeMessage[]> {
    const found = () => this.messages.filter(match);
    if (found().length >= count) return found();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        reject(new Error(`timed out after ${timeoutMs} ms: ${found().length}/${count} matching messages`));
      }, timeoutMs);
      const wake = () => {
        const now = found();
        if (now.length < count) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== wake);
        resolve(now);
      };
      this.waiters.push(wake);
    });
  }

  publish(topic: string, payload: string, qos: 0 | 1 = 1): Promise<unknown> {
    return this.client.publishAsync(topic, payload, { qos });
  }

  close(): Promise<void> {
    return this.client.endAsync(true);
  }
}
