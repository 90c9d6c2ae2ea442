import type { Aedes, Client } from 'aedes';
import type { Clock } from '../services/kernel/clock.ts';
import { commandRequestFilter } from '../services/contract/topics.ts';
import type { Logger } from '../services/platform/logger.ts';
import type { BoxLocations, ShadowService } from '../services/edge/presence/index.ts';
import { remoteAddress, type BoxSessions } from './box-sessions.ts';

export interface ClientEventDeps {
  sessions: BoxSessions;
  shadows: ShadowService;
  clock: Clock;
  log: Logger;
  /** The live connection of a box, if any. */
  current(serial: string): Client | undefined;
  /** A box is connected and subscribed to its cmd/req: queued commands can go out. */
  onBoxReady?: ((serial: string) => void) | undefined;
  /** Where the cluster's boxes are (REDIS_URL): told of this node's arrivals and departures. */
  locations?: BoxLocations | undefined;
}

/** Presence follows aedes' connection events; a takeover's stale disconnect is ignored. */
function trackPresence(aedes: Aedes, deps: ClientEventDeps): void {
  aedes.on('client', (client) => {
    const s = deps.sessions.get(client);
    if (!s) return;
    const at = deps.clock();
    deps.shadows.connected(s.deviceId, s.address, at);
    deps.locations?.arrived({ serial: s.serial, deviceId: s.deviceId, at, address: s.address });
  });
  aedes.on('clientDisconnect', (client) => {
    const s = deps.sessions.get(client);
    // On a takeover aedes unregisters the old connection before it registers the new one, so
    // the box flips offline → online; a stale disconnect never overrides a live connection.
    if (!s || deps.current(client.id) !== undefined) return;
    const at = deps.clock();
    // A connection left behind here after the box reconnected through another node (a takeover
    // heard late, or not at all while this node was cut from Redis): that node tells its presence.
    if (!deps.locations?.heldElsewhere(s.serial)) deps.shadows.disconnected(s.deviceId, at);
    deps.locations?.left({ serial: s.serial, deviceId: s.deviceId, at });
  });
}

/**
 * Queued commands go out once the box can receive them: when it subscribes to its cmd/req,
 * or when it reconnects with that subscription kept in its persistent session.
 */
function announceReadyBoxes(aedes: Aedes, deps: ClientEventDeps): void {
  const isCommandFilter = (client: Client, topic: string) => {
    const s = deps.sessions.get(client);
    return s !== undefined && topic === commandRequestFilter(s.serial);
  };
  aedes.on('subscribe', (subscriptions, client) => {
    if (client && subscriptions.some((sub) => isCommandFilter(client, sub.topic))) deps.onBoxReady?.(client.id);
  });
  aedes.on('clientReady', (client) => {
    // A clean session starts with no subscriptions: its cmd/req arrives as a SUBSCRIBE, above.
    if (!deps.onBoxReady || client.clean || !deps.sessions.get(client)) return;
    // aedes types its persistence as `any`; the default in-memory one answers a promise.
    const persistence = (aedes as unknown as { persistence: { subscriptionsByClient(c: Client): Promise<Array<{ topic: string }> | null> } })
      .persistence;
    Promise.resolve(persistence.subscriptionsByClient(client)).then(
      (subs) => {
        if (subs?.some((sub) => isCommandFilter(client, sub.topic))) deps.onBoxReady?.(client.id);
      },
      (err: unknown) => deps.log.error({ err, serial: client.id }, 'could not read the session subscriptions'),
    );
  });
}

/** Connection trouble is logged, never thrown: one box's broken link must not touch the others. */
function logConnectionTrouble(aedes: Aedes, log: Logger): void {
  aedes.on('keepaliveTimeout', (client) => {
    log.info({ serial: client.id, address: remoteAddress(client) }, 'keep-alive timeout: box went silent');
  });
  aedes.on('clientError', (client, err) => {
    log.debug({ serial: client.id, err: err.message }, 'client error');
  });
  aedes.on('connectionError', (client, err) => {
    log.debug({ address: remoteAddress(client), err: err.message }, 'connection error before CONNECT');
  });
}

/** What the broker does on aedes' client events: presence, ready boxes, logging, and counting accepted connections. */
export function watchClientEvents(aedes: Aedes, deps: ClientEventDeps): { accepted(): number } {
  trackPresence(aedes, deps);
  announceReadyBoxes(aedes, deps);
  logConnectionTrouble(aedes, deps.log);
  let accepted = 0;
  aedes.on('client', () => {
    accepted++;
  });
  return { accepted: () => accepted };
}
