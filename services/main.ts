import { startApp, type App } from './app.ts';
import { ConfigError, loadConfig } from './platform/config.ts';
import { DatabaseRefusedError, DataDirInUseError } from './platform/db/index.ts';
import { createLogger } from './platform/logger.ts';
import { forceExitAfterS } from './platform/shutdown.ts';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

const logger = createLogger(config.LOG_LEVEL);
let app: App;
try {
  app = await startApp(config, { logger });
} catch (err) {
  // An unreadable or unusable TLS file is a configuration error too: say which, and stop.
  // A database from a newer version, or not ours, was refused before anything was written;
  // so was a data directory another running server holds.
  if (err instanceof ConfigError || err instanceof DatabaseRefusedError || err instanceof DataDirInUseError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
const mqtt = app.broker.port;
const mqtts = app.broker.tlsPort;
const listeners = [mqtt === null ? null : `MQTT on ${mqtt}`, mqtts === null ? null : `MQTT over TLS on ${mqtts}`].filter(Boolean);
logger.info(
  { mqtt, mqtts, http: app.httpPort, dataDir: config.DATA_DIR },
  `MT-BOX Care is up: ${listeners.join(', ')}, API on http://localhost:${app.httpPort}/api`,
);

// SIGHUP re-reads the TLS certificate, key and CA (e.g. after a renewal); connected boxes stay.
process.on('SIGHUP', () => {
  try {
    app.broker.reloadTls();
  } catch (err) {
    logger.error({ err: err instanceof Error ? err.message : String(err) }, 'TLS files not reloaded; the previous ones stay in use');
  }
});

let stopping = false;
let endDrain: (() => void) | null = null;
// First signal: not ready at once, serve on for SHUTDOWN_DRAIN_S while the load balancer takes
// the node out, then stop. A second signal during the drain cuts it short.
async function shutdown(signal: string) {
  if (stopping) {
    endDrain?.();
    return;
  }
  stopping = true;
  const drainS = config.SHUTDOWN_DRAIN_S;
  const limitS = forceExitAfterS(drainS);
  logger.info({ signal, drainS }, `shutting down: not ready from now on; stopping in ${drainS} s`);
  const force = setTimeout(() => {
    logger.error(`shutdown took longer than ${limitS} s; exiting`);
    process.exit(1);
  }, limitS * 1000);
  force.unref();
  app.drain();
  await new Promise<void>((resolve) => {
    endDrain = resolve;
    setTimeout(resolve, drainS * 1000);
  });
  logger.info('drained: flushing telemetry and shadows');
  await app.stop();
  process.exit(0);
}
// A last line of defence, not a way of handling errors: every known background job has its
// own error path. One box's or browser's input reaching an unexpected one must be logged,
// not take every other box's service down with the process.
process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled promise rejection; the process stays up'));
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
