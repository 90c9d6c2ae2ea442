export {
  createBackendMetrics,
  type BackendMetrics,
  type BackupFigures,
  type EdgeFigures,
  type MetricSources,
  type SpoolFigures,
} from './backend-metrics.ts';
export {
  checkReadiness,
  FORWARDER_FAILING_LIMIT_S,
  type Lifecycle,
  type ForwarderFigures,
  type Readiness,
  type ReadinessCheck,
  type ReadinessProbe,
} from './readiness.ts';
