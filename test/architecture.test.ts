import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findViolations } from './architecture/dependency-rules.ts';
import { readImportGraph, type ImportGraph } from './architecture/import-graph.ts';

/*
 * The dependency rule (docs/architecture.md) as a failing check: a domain imports only its
 * own domain, the kernel and the contract; a capability reaches another only through that
 * one's index.ts; the kernel and the contract import nothing of ours; no import cycles.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const edge = (from: string, to: string, typeOnly = false) => ({ from, to, typeOnly });

describe('the dependency rule checker', () => {
  it('finds a domain importing an adapter, a framework or node:fs', () => {
    const graph: ImportGraph = [
      edge('services/edge/registry/domain/device.ts', 'services/edge/registry/store/device-store.ts'),
      edge('services/edge/registry/domain/device.ts', 'express'),
      edge('services/edge/registry/domain/device.ts', 'node:fs'),
      edge('services/edge/registry/domain/device.ts', 'zod'),
      edge('services/edge/registry/domain/device.ts', 'services/kernel/app-error.ts'),
      edge('services/edge/registry/domain/device.ts', 'services/edge/registry/domain/errors.ts'),
    ];
    expect(findViolations(graph).map((v) => v.key)).toEqual([
      'domain-purity: services/edge/registry/domain/device.ts -> services/edge/registry/store/device-store.ts',
      'domain-purity: services/edge/registry/domain/device.ts -> express',
      'domain-purity: services/edge/registry/domain/device.ts -> node:fs',
    ]);
  });

  it('finds a capability importing another one’s insides, and lets it use that one’s index.ts', () => {
    const graph: ImportGraph = [
      edge('services/after-sales/rma/rma-service.ts', 'services/platform/audit/store/audit-log.ts'),
      edge('services/after-sales/rma/rma-service.ts', 'services/platform/audit/index.ts'),
      edge('services/after-sales/rma/api/rma-routes.ts', 'services/after-sales/rma/rma-service.ts'),
      edge('services/after-sales/rma/rma-service.ts', 'services/platform/config.ts'),
      edge('services/after-sales/rma/rma-service.ts', 'services/app.ts'),
    ];
    expect(findViolations(graph).map((v) => v.key)).toEqual([
      'capability-boundary: services/after-sales/rma/rma-service.ts -> services/platform/audit/store/audit-log.ts',
      'capability-boundary: services/after-sales/rma/rma-service.ts -> services/app.ts',
    ]);
  });

  it('finds the kernel or the contract importing a capability', () => {
    const graph: ImportGraph = [
      edge('services/kernel/app-error.ts', 'services/platform/accounts/domain/errors.ts', true),
      edge('services/contract/payloads.ts', 'services/edge/registry/index.ts'),
    ];
    expect(findViolations(graph).map((v) => v.rule)).toEqual(['kernel-independence', 'contract-independence']);
  });

  it('finds an import cycle, type-only edges included', () => {
    const graph: ImportGraph = [
      edge('services/remote-support/realtime/a.ts', 'services/remote-support/realtime/b.ts'),
      edge('services/remote-support/realtime/b.ts', 'services/remote-support/realtime/c.ts', true),
      edge('services/remote-support/realtime/c.ts', 'services/remote-support/realtime/a.ts'),
      edge('services/remote-support/realtime/c.ts', 'services/remote-support/realtime/d.ts'),
    ];
    expect(findViolations(graph).map((v) => v.key)).toEqual([
      'cycle: services/remote-support/realtime/a.ts, services/remote-support/realtime/b.ts, services/remote-support/realtime/c.ts',
    ]);
  });
});

describe('the code', () => {
  it('keeps the dependency rule', () => {
    expect(findViolations(readImportGraph(ROOT, ['services', 'broker'])).map((v) => v.key)).toEqual([]);
  });
});
