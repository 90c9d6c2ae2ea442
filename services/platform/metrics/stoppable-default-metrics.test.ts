import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { collectStoppableDefaultMetrics } from './stoppable-default-metrics.ts';

describe('default metrics that stop', () => {
  it('catches the event-loop monitor and the GC observer prom-client starts, still exports their figures, and stops them', async () => {
    const registry = new Registry();
    const defaults = collectStoppableDefaultMetrics(registry, 'test_');
    expect(defaults.caught).toEqual({ eventLoopMonitors: 1, gcObservers: 1 });
    const text = await registry.metrics();
    expect(text).toContain('test_nodejs_eventloop_lag_p50_seconds');
    expect(text).toContain('test_process_resident_memory_bytes');
    defaults.stop();
    defaults.stop();
  });

  it('leaves perf_hooks as it found it', async () => {
    const perfHooks = (await import('node:perf_hooks')).default;
    const before = { m: perfHooks.monitorEventLoopDelay, o: perfHooks.PerformanceObserver };
    collectStoppableDefaultMetrics(new Registry(), 'test_').stop();
    expect(perfHooks.monitorEventLoopDelay).toBe(before.m);
    expect(perfHooks.PerformanceObserver).toBe(before.o);
  });
});
