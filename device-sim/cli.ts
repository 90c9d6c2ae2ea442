import { boxTlsFromFiles } from './box-tls-files.ts';
import { CliArgsError, USAGE, parseCliArgs, type CliArgs } from './cli-args.ts';
import { loadCredentialsFile, loadOrProvision, type BoxCredentials } from './credentials.ts';
import { Fleet } from './fleet.ts';
import { errorSummary, formatStats, type ProcessUsage } from './fleet-stats.ts';
import { buildScenarios } from './scenarios/index.ts';

/*
 * `npm run sim -- --devices 50 …`: provisions (or loads) credentials, runs the fleet,
 * prints stats every 10 s and stops cleanly on Ctrl-C or after --duration.
 */

const log = (message: string): void => {
  process.stdout.write(`${new Date().toISOString()} ${message}\n`);
};

async function main(): Promise<void> {
  let args: CliArgs;
  try {
    args = parseCliArgs(process.argv.slice(2), process.env);
  } catch (err) {
    if (!(err instanceof CliArgsError)) throw err;
    process.stderr.write(`${err.problems.map((p) => `error: ${p}`).join('\n')}\n\n${USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }

  const credentials = await obtainCredentials(args);
  const usage = usageMeter();
  const fleet = new Fleet({
    mqttUrl: args.mqtt,
    ...(args.tls ? { tls: boxTls(args) } : {}),
    credentials,
    rate: args.rate,
    seed: args.seed,
    ...(args.ramp === undefined ? {} : { rampMs: args.ramp * 1000 }),
    scenarios: buildScenarios(args.scenario, { faults: args.fault, ...(args['storm-at'] === undefined ? {} : { stormAtS: args['storm-at'] }) }),
    onStats: (stats) => log(formatStats(stats, usage())),
    log,
  });

  let stopping = false;
  const shutdown = async (reason: string): Promise<void> => {
    if (stopping) {
      log('second signal: exiting without waiting for the boxes');
      process.exit(130);
    }
    stopping = true;
    log(`${reason}: stopping ${credentials.length} boxes (offline status, then DISCONNECT)`);
    const totals = await fleet.stop({ graceful: true });
    log(`totals  ${formatStats(totals, usage())}`);
    const errors = errorSummary(fleet.boxes);
    if (errors) log(`last errors of boxes: ${errors}`);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('interrupted'));
  process.on('SIGTERM', () => void shutdown('terminated'));
  if (args.duration !== undefined) setTimeout(() => void shutdown(`${args.duration}s elapsed`), args.duration * 1000);

  log(
    `starting ${credentials.length} boxes → ${args.mqtt}, ${args.rate} telemetry/s each, seed ${args.seed}` +
      (args.scenario.length > 0 ? `, scenarios: ${args.scenario.join(', ')}` : ''),
  );
  if (args.plc) {
    // Before the boxes connect, so a tunnel opened as soon as a box is online finds its PLC.
    await Promise.all(fleet.boxes.map((box) => box.startPlc()));
    log(`each box runs a Modbus TCP PLC at 192.168.1.10:502 on its LAN (tunnel allow-list: 192.168.1.10:502)`);
  }
  await fleet.start();
  if (!stopping) log(`all ${credentials.length} boxes booted`);
}

function boxTls(args: CliArgs) {
  try {
    return boxTlsFromFiles({ ...(args.ca ? { ca: args.ca } : {}), ...(args['cert-dir'] ? { certDir: args['cert-dir'] } : {}) });
  } catch (err) {
    process.stderr.write(`error: --ca: ${(err as Error).message}\n`);
    process.exit(2);
  }
}

async function obtainCredentials(args: CliArgs): Promise<BoxCredentials[]> {
  try {
    if (args.credentials) return await loadCredentialsFile(args.credentials, args.devices);
    return await loadOrProvision({
      count: args.devices ?? 50,
      prefix: args.prefix,
      file: args.out,
      apiUrl: args.api,
      adminPassword: args['admin-password'],
      now: Date.now(),
      log,
    });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code !== 'string') throw err;
    process.stderr.write(`error ${code}: ${(err as Error).message}\n`);
    process.exit(1);
  }
}

/** CPU (100 % = one core) and RSS of this process since the previous call. */
function usageMeter(): () => ProcessUsage {
  let last = { at: performance.now(), cpu: process.cpuUsage() };
  return () => {
    const now = { at: performance.now(), cpu: process.cpuUsage() };
    const cpuMs = (now.cpu.user - last.cpu.user + now.cpu.system - last.cpu.system) / 1000;
    const wallMs = now.at - last.at;
    last = now;
    return { cpuPercent: wallMs > 0 ? (100 * cpuMs) / wallMs : 0, rssBytes: process.memoryUsage.rss() };
  };
}

await main();
