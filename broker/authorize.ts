import type { Client, PublishPacket, Subscription } from 'aedes';
import { channelSuffix, isOwnChannelTopic } from '../services/contract/topic-filters.ts';
import { commandRequestFilter, parseTopic, tunnelDownFilter, type DeviceChannel } from '../services/contract/topics.ts';
import { remoteAddress, type BoxSessions } from './box-sessions.ts';
import type { Intake } from './intake.ts';
import type { Refusals } from './refusals.ts';
import type { TunnelIntake } from './tunnel-intake.ts';

export interface AuthorizeDeps {
  sessions: BoxSessions;
  refusals: Refusals;
  intake: Intake;
  /** Where a box's tunnel frames (tun/up) go: binary, never through the JSON intake. */
  tunnels: TunnelIntake;
  /** True when another connection (here or on another node) has since taken over this client's serial. */
  isSuperseded(client: Client): boolean;
  /** A will another node of the cluster stored (aedes marks them with their broker's id). */
  isForeignWill?(packet: PublishPacket): boolean;
}

const TELEMETRY = channelSuffix('telemetry');

/** A box may publish only under its own mtbox/{sn}/…, never on cmd/req or tun/down (the cloud's channels). */
export function createAuthorizePublish(deps: AuthorizeDeps) {
  return function authorizePublish(client: Client | null, packet: PublishPacket, done: (err?: Error | null) => void) {
    // A will left over from before a restart, published with no client attached; or one a node
    // that died left behind, published late by this one, while its box may be here, live: where
    // boxes are is the box locations' business (the janitor), not a stale will's.
    if (!client || deps.isForeignWill?.(packet)) return done(null);
    const session = deps.sessions.get(client);
    // Telemetry on the box's own topic, live: the common case, told without parsing the topic.
    if (session && !client.closed && isOwnChannelTopic(packet.topic, session.serial, TELEMETRY)) {
      return deps.intake.handle(session, 'telemetry', packet, done);
    }
    const topic = parseTopic(packet.topic);
    if (!session || !topic || topic.sn !== session.serial || topic.channel === 'cmd/req' || topic.channel === 'tun/down') {
      deps.refusals.refuse('publish-denied', {
        address: remoteAddress(client),
        serial: session?.serial ?? client.id,
        detail: packet.topic,
      });
      // [MQTT-3.3.5-2] 3.1.1 has no negative PUBACK: the connection is closed.
      return done(new Error(`publish to ${packet.topic} denied`));
    }
    // The Last Will of a connection that a newer one replaced must not mark the box offline.
    if (client.closed && deps.isSuperseded(client)) return done(new Error('superseded connection'));
    if (topic.channel === 'tun/up') return deps.tunnels.handle(session, packet, done);
    deps.intake.handle(session, topic.channel as DeviceChannel, packet, done);
  };
}

/** A box may subscribe only to its own command requests and its own tunnel frames. */
export function createAuthorizeSubscribe(deps: Pick<AuthorizeDeps, 'sessions' | 'refusals'>) {
  return function authorizeSubscribe(client: Client, sub: Subscription, done: (err: Error | null, sub?: Subscription | null) => void) {
    const session = deps.sessions.get(client);
    if (session && (sub.topic === commandRequestFilter(session.serial) || sub.topic === tunnelDownFilter(session.serial))) return done(null, sub);
    deps.refusals.refuse('subscribe-denied', {
      address: remoteAddress(client),
      serial: session?.serial ?? client.id,
      detail: sub.topic,
    });
    // A null subscription answers SUBACK 0x80 (failure) and keeps the connection.
    done(null, null);
  };
}
