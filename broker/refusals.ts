import type { Logger } from '../services/platform/logger.ts';
import { CONFORMANCE_KINDS } from './packet-conformance.ts';

export const REFUSAL_KINDS = [
  'first-packet-not-connect',
  'packet-too-large',
  'malformed-length',
  'client-id-mismatch',
  'bad-serial',
  'unknown-serial',
  'wrong-secret',
  'disabled',
  'banned',
  'overloaded',
  'bad-certificate',
  'certificate-required',
  'publish-denied',
  'subscribe-denied',
  // A load balancer's connection (MQTT_PROXY_FROM) whose PROXY protocol header is malformed or late.
  'bad-proxy-header',
  // MQTT 3.1.1 violations the guard closes the connection for; the clause is in the log detail.
  ...CONFORMANCE_KINDS,
] as const;
export type RefusalKind = (typeof REFUSAL_KINDS)[number];

export interface RefusalContext {
  address: string | null;
  serial?: string | null;
  detail?: string;
}

export interface Refusals {
  refuse(kind: RefusalKind, ctx: RefusalContext): void;
  counts(): Record<RefusalKind, number>;
}

/** Every refusal is counted and logged with the client's address; none is silent. */
export function createRefusals(logger: Logger): Refusals {
  const counts = Object.fromEntries(REFUSAL_KINDS.map((k) => [k, 0])) as Record<RefusalKind, number>;
  return {
    refuse(kind, ctx) {
      counts[kind]++;
      logger.warn({ refusal: kind, address: ctx.address, serial: ctx.serial ?? null, detail: ctx.detail }, `mqtt refused: ${kind}`);
    },
    counts: () => ({ ...counts }),
  };
}
