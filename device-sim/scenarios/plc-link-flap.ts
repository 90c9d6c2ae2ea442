import type { SimBox } from '../box.ts';
import { sampleIndices } from '../prng.ts';
import type { Scenario } from './scenario.ts';

export const PLC_LINK_DOWN = 'PLC_LINK_DOWN';

export interface PlcLinkFlapOptions {
  /** Share of the fleet whose PLC link flaps; at least one box. */
  fraction?: number;
  /** First flap no earlier than this after the fleet starts. */
  startAfterMs?: number;
  flaps?: number;
  /** How long the link stays down, [min, max] ms. */
  downMs?: readonly [number, number];
  /** How long it stays up between flaps, [min, max] ms. */
  upMs?: readonly [number, number];
}

/**
 * The box's link to its PLC goes down and up a few times (loose RS-485 connector, PLC
 * rebooting): each loss raises PLC_LINK_DOWN (warning) and telemetry reports plc_link 0
 * until the link is back, when the box reports the fault cleared.
 */
export function plcLinkFlap(options: PlcLinkFlapOptions = {}): Scenario {
  const { fraction = 0.05, startAfterMs = 10_000, flaps = 3, downMs = [5_000, 20_000], upMs = [10_000, 30_000] } = options;
  return {
    name: 'plc-link-flap',
    start(ctx) {
      const count = Math.max(1, Math.round(fraction * ctx.boxes.length));
      for (const index of sampleIndices(ctx.random, ctx.boxes.length, count)) {
        const box = ctx.boxes[index] as SimBox;
        let t = startAfterMs + ctx.random.int(0, upMs[1]);
        for (let flap = 1; flap <= flaps; flap++) {
          const downFor = ctx.random.int(downMs[0], downMs[1]);
          ctx.after(t, () => linkDown(box, flap, downFor));
          t += downFor;
          ctx.after(t, () => linkUp(box, flap));
          t += ctx.random.int(upMs[0], upMs[1]);
        }
      }
      ctx.log(`plc-link-flap: ${count} boxes, ${flaps} flaps each from ${startAfterMs / 1000}s`);
    },
  };
}

// The firmware reports the recovery too, so diagnostics can tell a flap from a dead link.
function linkUp(box: SimBox, flap: number): void {
  box.setPlcLink(true);
  if (box.state === 'idle' || box.state === 'stopped') return;
  box.raiseFault({
    code: PLC_LINK_DOWN,
    severity: 'info',
    state: 'cleared',
    message: 'PLC answers again on RS485-1',
    context: { port: 'RS485-1', flap },
  });
}

function linkDown(box: SimBox, flap: number, downForMs: number): void {
  box.setPlcLink(false);
  // A box that is not booted (still in the ramp) or stopped has nobody to tell.
  if (box.state === 'idle' || box.state === 'stopped') return;
  box.raiseFault({
    code: PLC_LINK_DOWN,
    severity: 'warning',
    message: 'No answer from the PLC on RS485-1',
    context: { port: 'RS485-1', flap, expectedDownMs: downForMs },
  });
}
