import { z } from 'zod';
import { Serial } from '../../../contract/serial.ts';
import { createDeviceRegistry, issueSecret } from '../../../edge/registry/index.ts';
import { createBoxSecretHasher, loadBoxSecretKey } from '../../security/index.ts';
import { AdminRefusal, defineCommand } from '../admin-command.ts';
import { NoPositionals } from './account-support.ts';

/**
 * A new MQTT secret for one box, issued and hashed as the API's rotation does (POST
 * /api/devices/:sn/secret), with the server's key (BOX_SECRET_KEY or DATA_DIR/box-secret.key).
 * Refused next to a live server: it caches box credentials and keeps the session a box opened
 * with the old secret, which only its own rotation ends.
 */
export const rotateBoxSecretCommand = defineCommand({
  name: 'rotate-box-secret',
  summary: "replaces a box's MQTT secret; prints the new one once",
  usage: '--serial <sn>',
  options: { serial: { type: 'string' } },
  args: z.object({ serial: Serial, positionals: NoPositionals }),
  whileServerRuns: 'refuse',
  dataDir: 'existing',
  async run(ctx, args) {
    const registry = createDeviceRegistry(await ctx.openDb());
    const device = await registry.findBySerial(args.serial);
    if (!device) throw new AdminRefusal(`no box is registered as ${args.serial}; nothing was done`);
    const hasher = createBoxSecretHasher(loadBoxSecretKey(ctx.config.BOX_SECRET_KEY, ctx.dataDir).key);
    const { secret, hash } = issueSecret(hasher);
    await registry.setSecretHash(device.serial, hash);
    ctx.print(`secret of ${device.serial}: ${secret}`);
    ctx.print('Shown only this once: put it on the box; the old secret no longer connects.');
    return {
      entityKind: 'device',
      entityId: device.id,
      action: 'admin.rotate-box-secret',
      reason: `replaced the MQTT secret of ${device.serial}`,
      data: { serial: device.serial, keyId: hasher.keyId },
    };
  },
});
