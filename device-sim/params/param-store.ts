import type { ParamSet, ParamValue } from '../../services/contract/payloads.ts';
import { SECRET_MASK, checkParam, reportedValue, type ParamSpec } from './param-spec.ts';
import { groupOf, type ParamTable } from './param-table.ts';

export interface ParamChange {
  name: string;
  from: ParamValue;
  to: ParamValue;
}

/** The parameters in a box's flash: the factory table, the current values, and the checks `params.set` runs. */
export class ParamStore {
  private current: ParamSet;
  private readonly groupNames: readonly string[];

  constructor(private readonly factory: ParamTable) {
    this.current = { ...factory.values };
    this.groupNames = [...new Set(Object.keys(factory.values).map(groupOf))];
  }

  groups(): readonly string[] {
    return this.groupNames;
  }

  /** The values as `params.get` reports them (secrets masked), all or one group's; undefined for an unknown group. */
  reported(group?: string): ParamSet | undefined {
    if (group !== undefined && !this.groupNames.includes(group)) return undefined;
    const out: ParamSet = {};
    for (const [name, value] of Object.entries(this.current)) {
      if (group === undefined || groupOf(name) === group) out[name] = reportedValue(this.specOf(name), value);
    }
    return out;
  }

  /** A copy of the values, secrets included. */
  values(): ParamSet {
    return { ...this.current };
  }

  /** Why each refused change is refused; empty when every change can be applied. */
  check(changes: Readonly<Record<string, unknown>>): Record<string, string> {
    const refused: Record<string, string> = {};
    for (const [name, value] of Object.entries(changes)) {
      const s = this.specs(name);
      if (!s) refused[name] = 'unknown parameter';
      // Backup and restore tools write back what params.get showed them; the mask keeps the secret.
      else if (s.secret && value === SECRET_MASK) continue;
      else {
        const reason = checkParam(s, value);
        if (reason) refused[name] = reason;
      }
    }
    return refused;
  }

  /** Applies changes that check() accepted; returns what actually changed, secrets masked. */
  apply(changes: Readonly<ParamSet>): ParamChange[] {
    const changed: ParamChange[] = [];
    for (const [name, to] of Object.entries(changes)) {
      const s = this.specOf(name);
      const from = this.current[name];
      if (from === undefined || (s.secret && to === SECRET_MASK) || from === to) continue;
      this.current[name] = to;
      changed.push({ name, from: reportedValue(s, from), to: reportedValue(s, to) });
    }
    return changed;
  }

  /** Back to the values the box left the factory with. */
  reset(): void {
    this.current = { ...this.factory.values };
  }

  // Own properties only: a name like `constructor` must read as unknown, not as Object's.
  private specs(name: string): ParamSpec | undefined {
    return Object.hasOwn(this.factory.specs, name) ? this.factory.specs[name] : undefined;
  }

  private specOf(name: string): ParamSpec {
    const s = this.specs(name);
    if (!s) throw new Error(`no spec for parameter ${name}`);
    return s;
  }
}
