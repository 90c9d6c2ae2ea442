/** Where the backend is in its life: readiness is refused before start-up finished and once shutdown began. */
export type Lifecycle = 'starting' | 'ready' | 'stopping';

export interface ReadinessCheck {
  ok: boolean;
  /** Why not, in words, when not ok. */
  detail?: string;
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, ReadinessCheck>;
}

/** The InfluxDB forwarder as telemetry.health() shows it. */
export interface ForwarderFigures {
  /** Failed attempts in a row (0 after a success). */
  failures: number;
  lastError: string | null;
  /** Age of the oldest point still waiting in the spool, seconds; null when unknown. */
  oldestAgeS: number | null;
}

export interface ReadinessProbe {
  lifecycle(): Lifecycle;
  /** Runs a trivial query; rejects when the database does not answer. */
  database(): Promise<void>;
  /** Null when there is no broker (HTTP-only compositions). */
  mqttListening: (() => boolean) | null;
  /** Null with the SQLite telemetry store. */
  forwarder: (() => ForwarderFigures) | null;
}

/**
 * How long InfluxDB may refuse the forwarder before the node reads as not ready. The forwarder's
 * back-off tops out at 30 s (forward-policy.ts), so 5 minutes is at least ten failed attempts in a
 * row: a restart or upgrade of InfluxDB passes unnoticed by the load balancer, while the spool
 * keeps every point meanwhile (TELEMETRY_SPOOL_MB). Longer, someone must look.
 */
export const FORWARDER_FAILING_LIMIT_S = 300;

/** The readiness checks, each named, in a fixed order. */
export async function checkReadiness(probe: ReadinessProbe): Promise<Readiness> {
  const checks: Record<string, ReadinessCheck> = {};
  const phase = probe.lifecycle();
  checks.lifecycle = phase === 'ready' ? { ok: true } : { ok: false, detail: phase === 'starting' ? 'still starting' : 'shutting down' };
  checks.database = await probe.database().then(
    (): ReadinessCheck => ({ ok: true }),
    (err: unknown): ReadinessCheck => ({ ok: false, detail: err instanceof Error ? err.message : String(err) }),
  );
  if (probe.mqttListening) checks.mqtt = probe.mqttListening() ? { ok: true } : { ok: false, detail: 'the MQTT listener is not listening' };
  if (probe.forwarder) checks.telemetry = forwarderCheck(probe.forwarder());
  return { ready: Object.values(checks).every((c) => c.ok), checks };
}

/** Failing means: the last attempts failed and the oldest waiting point is older than the limit. */
function forwarderCheck(f: ForwarderFigures): ReadinessCheck {
  const stalled = f.failures > 0 && f.oldestAgeS !== null && f.oldestAgeS > FORWARDER_FAILING_LIMIT_S;
  if (!stalled) return { ok: true };
  return { ok: false, detail: `InfluxDB has refused ${f.failures} attempts in a row; oldest point waiting ${f.oldestAgeS} s: ${f.lastError ?? ''}` };
}
