import { startApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';

let config;
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
const app = await startApp(config, { logger });
logger.info(
  { mqtt: app.mqttPort, http: app.httpPort, dataDir: config.DATA_DIR },
  `MT-BOX Care is up: MQTT on ${app.mqttPort}, API on http://localhost:${app.httpPort}/api`,
);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down: flushing telemetry and shadows');
  const force = setTimeout(() => {
    logger.error('shutdown took longer than 10 s; exiting');
    process.exit(1);
  }, 10_000);
  force.unref();
  await app.stop();
  process.exit(0);
}
// A last line of defence, not a way of handling errors: every known background job has its
// own error path. One box's or browser's input reaching an unexpected one must be logged,
// not take every other box's service down with the process.
process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled promise rejection; the process stays up'));
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
