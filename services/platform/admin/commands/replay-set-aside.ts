import path from 'node:path';
import { z } from 'zod';
import { SPOOL_FILE } from '../../../compose-telemetry.ts';
import { replaySetAside } from '../../../edge/telemetry/index.ts';
import { defineCommand } from '../admin-command.ts';
import { NoPositionals } from './account-support.ts';

/**
 * Queues the telemetry InfluxDB refused as invalid (the spool's `set_aside` table) again, for
 * the forwarder to offer once the cause is fixed. Refused next to a live server: its spool
 * worker holds the file and counts what is set aside in memory.
 */
export const replaySetAsideCommand = defineCommand({
  name: 'replay-set-aside',
  summary: 'queues the telemetry InfluxDB refused as invalid again, for the next start to send',
  usage: '',
  options: {},
  args: z.object({ positionals: NoPositionals }),
  whileServerRuns: 'refuse',
  dataDir: 'existing',
  async run(ctx) {
    const { points, byReason } = replaySetAside(path.join(ctx.dataDir, SPOOL_FILE));
    for (const [reason, n] of Object.entries(byReason)) ctx.print(`${n} point(s): ${reason}`);
    ctx.print(points === 0 ? 'nothing was set aside' : `${points} point(s) queued again; the server sends them to InfluxDB once started`);
    return {
      entityKind: 'system',
      entityId: 0,
      action: 'admin.replay-set-aside',
      reason: `queued ${points} set-aside telemetry point(s) again`,
      data: { points, byReason },
    };
  },
});
