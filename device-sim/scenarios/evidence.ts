import { EVIDENCE_TYPES, type EvidenceType } from '../../services/contract/payloads.ts';
import type { Random } from '../prng.ts';
import type { Scenario } from './scenario.ts';

export interface EvidenceOptions {
  /** Mean events per box per hour. */
  perBoxPerHour?: number;
  /** How often the fleet draws events. */
  tickMs?: number;
}

/** Details as the firmware records them for each kind of evidence. */
export function evidenceDetails(type: EvidenceType, random: Random): Record<string, unknown> {
  switch (type) {
    case 'tamper':
      return { sensor: random.pick(['lid', 'din-rail', 'sim-tray']), open: true };
    case 'surge':
      return { port: random.pick(['PWR', 'RS485-1', 'ETH1']), peak_v: random.int(60, 1500) };
    case 'overtemp':
      return { board_temp: Math.round(random.float(80, 95) * 10) / 10, threshold: 80 };
    case 'water':
      return { sensor: 'floor', wet: true };
    case 'label':
      return { reason: random.pick(['removed', 'damaged', 'unreadable']) };
    case 'power-loss':
      return { duration_s: random.int(1, 7200), supply_voltage_before: Math.round(random.float(17, 22) * 10) / 10 };
  }
}

/**
 * At a low rate, boxes record evidence of how they were treated (tamper, surge, water…),
 * which later decides warranty scope. Arrivals are Poisson-like: each tick draws the
 * fleet-wide expected count and rounds it at random.
 */
export function evidence({ perBoxPerHour = 0.5, tickMs = 1_000 }: EvidenceOptions = {}): Scenario {
  return {
    name: 'evidence',
    start(ctx) {
      ctx.every(tickMs, () => {
        const running = ctx.running();
        const expected = (running.length * perBoxPerHour * tickMs) / 3_600_000;
        const count = Math.floor(expected) + (ctx.random.chance(expected % 1) ? 1 : 0);
        for (let i = 0; i < count && running.length > 0; i++) {
          const type = ctx.random.pick(EVIDENCE_TYPES);
          ctx.random.pick(running).recordEvent(type, evidenceDetails(type, ctx.random));
        }
      });
    },
  };
}
