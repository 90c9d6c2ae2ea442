import { z } from 'zod';
import { FAULT_CODE, Severity } from '../../services/contract/payloads.ts';
import type { SimBox } from '../box.ts';
import { sampleIndices } from '../prng.ts';
import type { Scenario } from './scenario.ts';

/** `--fault CODE@SECONDS[:FRACTION][:SEVERITY]`, e.g. `SUPPLY_UNDERVOLTAGE@30:0.1:error`. */
export const FaultAtSpec = z.object({
  code: z.string().regex(FAULT_CODE, 'fault codes are upper-case, e.g. PLC_LINK_DOWN'),
  atS: z.number().nonnegative(),
  /** Share of the fleet; absent = one box (the first). */
  fraction: z.number().gt(0).max(1).optional(),
  severity: Severity.default('error'),
});
export type FaultAtSpec = z.infer<typeof FaultAtSpec>;

/** Parses one `--fault` value; the error names the part that is wrong. */
export const FaultAtArg = z.string().transform((text, ctx) => {
  const match = /^([^@]+)@([0-9.]+)(?::([0-9.]+%?))?(?::([a-z]+))?$/.exec(text);
  if (!match) {
    ctx.addIssue({ code: 'custom', message: `"${text}": expected CODE@SECONDS[:FRACTION][:SEVERITY], e.g. PLC_LINK_DOWN@30:0.1:warning` });
    return z.NEVER;
  }
  const [, code, at, share, severity] = match;
  const fraction = share === undefined ? undefined : share.endsWith('%') ? Number(share.slice(0, -1)) / 100 : Number(share);
  const spec = FaultAtSpec.safeParse({ code, atS: Number(at), fraction, severity });
  if (!spec.success) {
    for (const issue of spec.error.issues) ctx.addIssue({ code: 'custom', message: `"${text}": ${issue.path.join('.')}: ${issue.message}` });
    return z.NEVER;
  }
  return spec.data;
});

/** Raises each given fault code at its time after the fleet starts, on one box or a share of them. */
export function faultAt(specs: readonly FaultAtSpec[]): Scenario {
  return {
    name: 'fault-at',
    start(ctx) {
      for (const spec of specs) {
        const count = spec.fraction === undefined ? 1 : Math.max(1, Math.round(spec.fraction * ctx.boxes.length));
        const indices = spec.fraction === undefined ? [0] : sampleIndices(ctx.random, ctx.boxes.length, count);
        ctx.after(spec.atS * 1000, () => {
          let raised = 0;
          for (const i of indices) {
            const box = ctx.boxes[i] as SimBox | undefined;
            if (!box || box.state === 'idle' || box.state === 'stopped') continue;
            box.raiseFault({ code: spec.code, severity: spec.severity, message: `scheduled by fault-at at ${spec.atS}s` });
            raised++;
          }
          ctx.log(`fault-at: ${spec.code} raised on ${raised} boxes`);
        });
      }
    },
  };
}
