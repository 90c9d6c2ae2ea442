import type { ParseArgsConfig } from 'node:util';
import type { z } from 'zod';
import type { Clock } from '../../kernel/clock.ts';
import type { AuditedEntity } from '../audit/index.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/index.ts';

/** What every admin command is given. */
export interface AdminContext {
  /** The server's configuration, read from the same environment, DATA_DIR as resolved. */
  config: Config;
  dataDir: string;
  clock: Clock;
  /** Who runs the command, as it appears in the audit log: `os:<OS user name>`. */
  operator: string;
  /** Writes one line to standard output: the command's answer. */
  print(line: string): void;
  /** Standard input, read to its end (`--password-stdin`); empty when none was given. */
  readStdin(): Promise<string>;
  /**
   * The data directory's database, opened (and migrated) on first call and closed by the
   * runner after the command. A command that replaces the file (restore) calls it after.
   */
  openDb(): Promise<Db>;
}

/** The audit line a command that succeeded writes; the runner adds the operator and the time. */
export interface AuditNote {
  entityKind: AuditedEntity;
  /** 0 for `system`. */
  entityId: number;
  /** `admin.<command>`, e.g. `admin.reset-password`. */
  action: string;
  reason: string;
  data?: Record<string, unknown>;
}

/**
 * One `npm run admin -- <name> …` command. Options are parsed by node:util's parseArgs with
 * `options`, then the values (and `positionals`) are validated by `args`; what fails either
 * is a usage error (exit 2) naming the option.
 */
export interface AdminCommand<A = unknown> {
  name: string;
  /** One line for `npm run admin -- help`. */
  summary: string;
  /** The synopsis after the command name, e.g. `--username <name> [--password-stdin]`. */
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  args: z.ZodType<A>;
  /**
   * `refuse`: changes what a running server caches or relies on (accounts it checks per
   * request are fine, box secrets it caches are not), so it runs only on a stopped server's
   * data. `allow`: safe next to a running server (reads, online backups).
   */
  whileServerRuns: 'refuse' | 'allow';
  /**
   * `existing`: the data directory must hold an MT-BOX Care database (a wrong directory is
   * refused). `existing-or-new`: an empty or missing directory is accepted too (restore onto a
   * new machine).
   */
  dataDir: 'existing' | 'existing-or-new';
  /** Throws AdminRefusal for a refusal the operator can act on (exit 1). */
  run(ctx: AdminContext, args: A): Promise<AuditNote>;
}

/** A clear refusal: printed as it is, exit status 1, nothing changed. */
export class AdminRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AdminRefusal';
  }
}

/** Lets a list hold commands of different argument types. */
export function defineCommand<A>(command: AdminCommand<A>): AdminCommand<A> {
  return command;
}
