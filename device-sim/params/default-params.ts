import { createRandom, deriveSeed } from '../prng.ts';
import { alarmParams, reportParams, systemParams } from './box-params.ts';
import { networkParams } from './network-params.ts';
import { buildTable, type ParamTable } from './param-table.ts';
import { plcParams } from './plc-params.ts';
import { pointCountFor, pointParams } from './point-params.ts';

export const PARAM_GROUPS = ['network', 'plc', 'points', 'alarm', 'report', 'system'] as const;

export interface BoxIdentity {
  serial: string;
  model: string;
}

/**
 * The parameters a box leaves the factory with (and returns to after a reset). A function of
 * serial and model alone: each box differs, every run and every reset gives the same set.
 * Identity (serial, IMEI, firmware) is not a parameter: it travels in the status message, and
 * a restore onto a replacement box must not carry the old box's identity along.
 */
export function factoryParams({ serial, model }: BoxIdentity): ParamTable {
  // One stream per group, so adding a parameter to one group does not shift the others' values.
  const random = createRandom(deriveSeed(0, `params:${serial}`));
  const plc = plcParams(random.fork('plc'));
  return buildTable([
    ...networkParams(random.fork('network'), serial, model),
    ...plc.defs,
    ...pointParams(random.fork('points'), plc.setup, pointCountFor(model)),
    ...alarmParams(),
    ...reportParams(random.fork('report')),
    ...systemParams(random.fork('system')),
  ]);
}
