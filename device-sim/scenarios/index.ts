import { badPayloads } from './bad-payloads.ts';
import { evidence } from './evidence.ts';
import { faultAt, type FaultAtSpec } from './fault-at.ts';
import { plcLinkFlap } from './plc-link-flap.ts';
import { reconnectStorm } from './reconnect-storm.ts';
import type { Scenario } from './scenario.ts';

export type { Scenario, ScenarioContext } from './scenario.ts';

export const SCENARIO_NAMES = ['plc-link-flap', 'fault-at', 'bad-payloads', 'reconnect-storm', 'evidence'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** What the command line can tune; everything else uses each scenario's defaults. */
export interface ScenarioSettings {
  faults: readonly FaultAtSpec[];
  stormAtS?: number;
}

const BUILDERS: Readonly<Record<ScenarioName, (settings: ScenarioSettings) => Scenario>> = {
  'plc-link-flap': () => plcLinkFlap(),
  'fault-at': (s) => faultAt(s.faults),
  'bad-payloads': () => badPayloads(),
  'reconnect-storm': (s) => reconnectStorm(s.stormAtS === undefined ? {} : { atMs: s.stormAtS * 1000 }),
  evidence: () => evidence(),
};

export function buildScenarios(names: readonly ScenarioName[], settings: ScenarioSettings): Scenario[] {
  return [...new Set(names)].map((name) => BUILDERS[name](settings));
}
