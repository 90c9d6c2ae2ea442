import { PARAM_NAME, type ParamSet, type ParamValue } from '../../services/contract/payloads.ts';
import { checkParam, type ParamSpec } from './param-spec.ts';

export interface ParamDef {
  name: string;
  value: ParamValue;
  spec: ParamSpec;
}

/** A box's parameters with the spec of each, in the order the firmware lists them. */
export interface ParamTable {
  readonly values: Readonly<ParamSet>;
  readonly specs: Readonly<Record<string, ParamSpec>>;
}

export function def(name: string, value: ParamValue, spec: ParamSpec): ParamDef {
  return { name, value, spec };
}

/** Collects definitions into a table; a factory value its own spec refuses is a bug here, so it throws. */
export function buildTable(defs: readonly ParamDef[]): ParamTable {
  const values: ParamSet = {};
  const specs: Record<string, ParamSpec> = {};
  for (const d of defs) {
    if (!PARAM_NAME.test(d.name)) throw new Error(`parameter name ${d.name} breaks the contract`);
    if (d.name in specs) throw new Error(`parameter ${d.name} defined twice`);
    const reason = checkParam(d.spec, d.value);
    if (reason) throw new Error(`factory value of ${d.name} (${JSON.stringify(d.value)}) ${reason}`);
    values[d.name] = d.value;
    specs[d.name] = d.spec;
  }
  return { values, specs };
}

/** `plc.baud` → `plc`. */
export function groupOf(name: string): string {
  return name.slice(0, name.indexOf('.'));
}
