import perfHooks from 'node:perf_hooks';
import { collectDefaultMetrics, type Registry } from 'prom-client';

/** prom-client's default metrics, and a stop() for the watchers they leave running. */
export interface StoppableDefaultMetrics {
  /** Disables the event-loop delay monitor and disconnects the GC observer. Idempotent. */
  stop(): void;
  /** How many of each watcher were caught when the metrics were created (a prom-client upgrade that changes them shows here). */
  readonly caught: { eventLoopMonitors: number; gcObservers: number };
}

/**
 * prom-client 15 starts an event-loop delay monitor and a GC PerformanceObserver in
 * collectDefaultMetrics and offers no way to stop them, so a stopped backend (and each test
 * backend) would leave them running. They are created through the shared `perf_hooks` module
 * object during that one synchronous call: wrapping its two constructors for the call catches
 * them, to stop them with the app.
 */
export function collectStoppableDefaultMetrics(registry: Registry, prefix: string): StoppableDefaultMetrics {
  const monitors: perfHooks.IntervalHistogram[] = [];
  const observers: perfHooks.PerformanceObserver[] = [];
  const { monitorEventLoopDelay, PerformanceObserver } = perfHooks;
  const hooks = perfHooks as { -readonly [K in keyof typeof perfHooks]: (typeof perfHooks)[K] };
  hooks.monitorEventLoopDelay = (options) => {
    const m = monitorEventLoopDelay(options);
    monitors.push(m);
    return m;
  };
  hooks.PerformanceObserver = class extends PerformanceObserver {
    constructor(callback: perfHooks.PerformanceObserverCallback) {
      super(callback);
      observers.push(this);
    }
  };
  try {
    collectDefaultMetrics({ register: registry, prefix });
  } finally {
    hooks.monitorEventLoopDelay = monitorEventLoopDelay;
    hooks.PerformanceObserver = PerformanceObserver;
  }
  let stopped = false;
  return {
    caught: { eventLoopMonitors: monitors.length, gcObservers: observers.length },
    stop() {
      if (stopped) return;
      stopped = true;
      for (const m of monitors) m.disable();
      for (const o of observers) o.disconnect();
    },
  };
}
