import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEFAULT_CREDENTIALS_FILE } from './credentials.ts';
import { DEFAULT_SERIAL_PREFIX, SERIAL_PREFIX_PATTERN } from './demo-fleet.ts';
import { FaultAtArg } from './scenarios/fault-at.ts';
import { SCENARIO_NAMES } from './scenarios/index.ts';

/** Up to this many boxes, each runs its LAN PLC unless `--plc off`. */
export const PLC_DEFAULT_MAX_BOXES = 200;

export const USAGE = `Usage: npm run sim -- [options]

  --devices N            boxes to simulate (default 50, or every row of --credentials)
  --rate R               telemetry messages per box per second, 0 = none (default 1)
  --mqtt URL             broker (default mqtt://127.0.0.1:1883, with --tls mqtts://127.0.0.1:8883)
  --tls                  MQTT over TLS (implied by an mqtts:// URL)
  --ca FILE              PEM CA or self-signed certificate the broker's certificate must match
  --cert-dir DIR         each box presents DIR/SERIAL.crt and DIR/SERIAL.key when both exist
  --api URL              backend HTTP API for provisioning (default http://127.0.0.1:8080)
  --admin-password PW    admin password for provisioning (or env ADMIN_PASSWORD)
  --credentials FILE     use serial,secret rows from FILE; never provisions
  --out FILE             where provisioned credentials are kept (default ${DEFAULT_CREDENTIALS_FILE})
  --prefix MTBYYMM       serial prefix of provisioned boxes (default ${DEFAULT_SERIAL_PREFIX})
  --scenario NAME        repeatable: ${SCENARIO_NAMES.join(', ')}
  --fault CODE@S[:FRACTION][:SEVERITY]
                         repeatable; raise CODE S seconds after start on one box or a share
  --storm-at S           reconnect-storm: when all connections drop (default 30)
  --ramp S               spread connects over S seconds (default 4 ms per box)
  --duration S           stop after S seconds (default: until Ctrl-C)
  --seed N               seed of all randomness (default 1)
  --plc on|off           run each box's LAN PLC (Modbus TCP on a loopback port, reachable
                         through a tunnel as 192.168.1.10:502); default on up to ${PLC_DEFAULT_MAX_BOXES} boxes
`;

const OPTIONS = {
  devices: { type: 'string' },
  rate: { type: 'string' },
  mqtt: { type: 'string' },
  tls: { type: 'boolean' },
  ca: { type: 'string' },
  'cert-dir': { type: 'string' },
  api: { type: 'string' },
  'admin-password': { type: 'string' },
  credentials: { type: 'string' },
  out: { type: 'string' },
  prefix: { type: 'string' },
  scenario: { type: 'string', multiple: true },
  fault: { type: 'string', multiple: true },
  'storm-at': { type: 'string' },
  ramp: { type: 'string' },
  duration: { type: 'string' },
  seed: { type: 'string' },
  plc: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const seconds = z.coerce.number().nonnegative().finite();

/** The command line after validation; the option names are the flags without `--`. */
export const CliArgs = z
  .object({
    devices: z.coerce.number().int().min(1).max(100_000).optional(),
    rate: z.coerce.number().min(0).max(50).default(1),
    mqtt: z.url({ protocol: /^mqtts?$/, error: 'an mqtt:// URL, e.g. mqtt://127.0.0.1:1883' }).optional(),
    tls: z.boolean().default(false),
    ca: z.string().min(1).optional(),
    'cert-dir': z.string().min(1).optional(),
    api: z.url({ protocol: /^https?$/, error: 'an http:// URL, e.g. http://127.0.0.1:8080' }).default('http://127.0.0.1:8080'),
    'admin-password': z.string().min(1).optional(),
    credentials: z.string().min(1).optional(),
    out: z.string().min(1).default(DEFAULT_CREDENTIALS_FILE),
    prefix: z.string().regex(SERIAL_PREFIX_PATTERN, 'MTB followed by YYMM, e.g. MTB2611').default(DEFAULT_SERIAL_PREFIX),
    scenario: z.array(z.enum(SCENARIO_NAMES)).default([]),
    fault: z.array(FaultAtArg).default([]),
    'storm-at': seconds.optional(),
    ramp: seconds.optional(),
    duration: seconds.positive().optional(),
    seed: z.coerce.number().int().default(1),
    plc: z.enum(['on', 'off'], { error: 'on or off' }).optional(),
    help: z.boolean().default(false),
  })
  .refine((a) => !a.tls || a.mqtt === undefined || a.mqtt.startsWith('mqtts:'), {
    message: '--tls needs an mqtts:// URL, e.g. mqtts://127.0.0.1:8883',
    path: ['mqtt'],
  })
  .transform((a) => ({
    ...a,
    tls: a.tls || a.mqtt?.startsWith('mqtts:') === true,
    mqtt: a.mqtt ?? (a.tls ? 'mqtts://127.0.0.1:8883' : 'mqtt://127.0.0.1:1883'),
    // One Modbus server per box: fine for a demo fleet, not for ten thousand boxes.
    plc: a.plc === undefined ? (a.devices ?? 50) <= PLC_DEFAULT_MAX_BOXES : a.plc === 'on',
    // Giving --fault is asking for the fault-at scenario.
    scenario: a.fault.length > 0 && !a.scenario.includes('fault-at') ? [...a.scenario, 'fault-at' as const] : a.scenario,
  }))
  .refine((a) => a.tls || a.ca === undefined, { message: 'needs --tls or an mqtts:// URL', path: ['ca'] })
  .refine((a) => a.tls || a['cert-dir'] === undefined, { message: 'needs --tls or an mqtts:// URL', path: ['cert-dir'] })
  .refine((a) => !a.scenario.includes('fault-at') || a.fault.length > 0, {
    message: '--scenario fault-at needs at least one --fault CODE@SECONDS',
    path: ['fault'],
  });
export type CliArgs = z.infer<typeof CliArgs>;

export class CliArgsError extends Error {
  readonly code = 'CLI_ARGS_INVALID';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** Parses argv (without node and script) and the environment; throws CliArgsError naming each bad flag. */
export function parseCliArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliArgs {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new CliArgsError([(err as Error).message]);
  }
  const withEnv = { 'admin-password': env.ADMIN_PASSWORD || undefined, ...values };
  const parsed = CliArgs.safeParse(withEnv);
  if (!parsed.success) {
    throw new CliArgsError(
      parsed.error.issues.map((i) => {
        const flag = i.path[0] === undefined ? '' : `--${String(i.path[0])}: `;
        return `${flag}${i.message}`;
      }),
    );
  }
  return parsed.data;
}
