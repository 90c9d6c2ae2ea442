import type { SimBox } from '../box.ts';
import type { Random } from '../prng.ts';

/** What a scenario may use: the fleet's boxes, randomness and timers relative to the fleet's start. */
export interface ScenarioContext {
  readonly boxes: readonly SimBox[];
  readonly random: Random;
  /** The fleet's clock (epoch ms). */
  now(): number;
  /** Boxes that have booted and are not stopped (the fleet starts them over a ramp). */
  running(): SimBox[];
  after(ms: number, action: () => void): void;
  every(ms: number, action: () => void): void;
  log(message: string): void;
}

/** A named script of actions on a box or the fleet, selected with `--scenario NAME`. */
export interface Scenario {
  readonly name: string;
  start(ctx: ScenarioContext): void;
}
