import { Aedes, type AedesOptions, type AedesPublishPacket, type Client, type PublishPacket } from 'aedes';
import { channelSuffix, filterMayMatchChannel, isChannelTopic } from '../services/contract/topic-filters.ts';

export interface TelemetryRoutingStats {
  /** Box telemetry handed to aedes' routing (something might have subscribed to it). */
  routed: number;
  /** Box telemetry acknowledged without routing: no subscription could match it. */
  unrouted: number;
}

type Done = (error?: Error) => void;
// aedes calls back with null for success, as its own publish steps do.
type PublishedDone = (error?: Error | null) => void;
type Deliver = Parameters<Aedes['subscribe']>[1];
type PublishFromClient = (this: Aedes, packet: PublishPacket, client: Client | null, done?: Done) => void;

const TELEMETRY = channelSuffix('telemetry');
const SUBACK_FAILURE = 0x80;

/**
 * aedes, minus the routing of box telemetry that no subscription can match. Telemetry is
 * stored by the intake in authorizePublish; aedes would then still build a packet copy and
 * look the topic up in mqemitter (and, at QoS 1, in the offline-subscription store) to find
 * nobody, which was a large part of its share of the broker thread at 100 boxes
 * (BENCHMARKS.md). The `published` hook and `publish` event still run for every message.
 *
 * Routing resumes while any subscription may match box telemetry: an in-process
 * `subscribe()`, or a client's (boxes may only subscribe to their own cmd/req and tun/down,
 * which never match). A client subscription also leaves an offline entry in aedes'
 * persistence that outlives the connection, so after one, QoS 1 and 2 telemetry is routed
 * until restart (the persistence is in memory).
 */
export class TelemetryRoutingAedes extends Aedes {
  private readonly routes = new Map<string, Map<Deliver, number>>();
  private offlineRoutes = false;
  private readonly counts: TelemetryRoutingStats = { routed: 0, unrouted: 0 };

  constructor(opts: AedesOptions) {
    super(opts);
    this.on('subscribe', (subscriptions) => {
      // A refused subscription is reported too, granted 128 (SUBACK failure).
      if (subscriptions.some((s) => (s.qos as number) !== SUBACK_FAILURE && filterMayMatchChannel(s.topic, 'telemetry'))) this.offlineRoutes = true;
    });
  }

  static async start(opts: AedesOptions): Promise<TelemetryRoutingAedes> {
    const broker = new TelemetryRoutingAedes(opts);
    await broker.listen();
    return broker;
  }

  telemetryRouting(): TelemetryRoutingStats {
    return { ...this.counts };
  }

  override publish(packet: PublishPacket, callback: Done): void;
  override publish(packet: PublishPacket, client: Client | null, done?: Done): void;
  override publish(packet: PublishPacket, clientOrDone: Client | null | Done, done?: Done): void {
    const client = typeof clientOrDone === 'function' ? null : clientOrDone;
    const callback = typeof clientOrDone === 'function' ? clientOrDone : done;
    // Wills and the broker's own messages (no client) take the usual path.
    if (client === null || this.mustRoute(packet)) {
      (Aedes.prototype.publish as unknown as PublishFromClient).call(this, packet, client, callback);
      return;
    }
    this.counts.unrouted++;
    // As aedes' own last step (callPublished): the hook, then the event.
    this.published(packet as AedesPublishPacket, client, (callback ?? noop) as PublishedDone);
    this.emit('publish', packet, client);
  }

  private mustRoute(packet: PublishPacket): boolean {
    // Only a box's own telemetry, authorised and stored by then; a retained message must
    // reach aedes' retained store.
    if (packet.retain || !isChannelTopic(packet.topic, TELEMETRY)) return true;
    if (this.routes.size === 0 && (packet.qos === 0 || !this.offlineRoutes)) return false;
    this.counts.routed++;
    return true;
  }

  override subscribe(topic: string, deliver: Deliver, done: () => void): void {
    if (filterMayMatchChannel(topic, 'telemetry')) {
      const byDeliver = this.routes.get(topic) ?? new Map<Deliver, number>();
      this.routes.set(topic, byDeliver);
      byDeliver.set(deliver, (byDeliver.get(deliver) ?? 0) + 1);
    }
    super.subscribe(topic, deliver, done);
  }

  override unsubscribe(topic: string, deliver: Deliver, done: () => void): void {
    const byDeliver = this.routes.get(topic);
    const n = byDeliver?.get(deliver);
    if (byDeliver && n !== undefined) {
      if (n > 1) byDeliver.set(deliver, n - 1);
      else byDeliver.delete(deliver);
      if (byDeliver.size === 0) this.routes.delete(topic);
    }
    super.unsubscribe(topic, deliver, done);
  }
}

function noop(): void {}
