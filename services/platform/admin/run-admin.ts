import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Clock } from '../../kernel/clock.ts';
import { appendAudit } from '../audit/index.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { DATABASE_FILE, DatabaseRefusedError, DataDirInUseError, lockHolder, openSqlite, type Db } from '../db/index.ts';
import { AdminRefusal, type AdminCommand, type AdminContext } from './admin-command.ts';

/** Exit statuses: 0 done, 1 refused (nothing changed), 2 not understood. */
export const EXIT = { ok: 0, refused: 1, usage: 2 } as const;

export interface AdminIo {
  env: NodeJS.ProcessEnv;
  clock: Clock;
  /** `os:<name>`: who is at the keyboard. */
  operator: string;
  out(line: string): void;
  err(line: string): void;
  /** Standard input, read to its end; absent (read as empty) where there is none, e.g. tests. */
  readStdin?(): Promise<string>;
}

/** The OS user running the CLI; a container without a passwd entry is named by its uid. */
export function osOperator(): string {
  try {
    return `os:${os.userInfo().username}`;
  } catch {
    return `os:uid-${process.getuid?.() ?? 'unknown'}`;
  }
}

function helpText(commands: readonly AdminCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'usage: npm run admin -- <command> [--data-dir <dir>] [options]',
    '',
    'The data directory is DATA_DIR, as the server reads it, unless --data-dir names one.',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'npm run admin -- <command> --help shows its options.',
  ].join('\n');
}

/** Refuses a directory that is not an MT-BOX Care data directory (see AdminCommand.dataDir). */
function checkDataDir(dataDir: string, command: AdminCommand): void {
  const dbFile = path.join(dataDir, DATABASE_FILE);
  const hasDb = existsSync(dbFile) && statSync(dbFile).size > 0;
  if (hasDb || command.dataDir === 'existing-or-new') return;
  throw new AdminRefusal(
    `${dataDir} holds no MT-BOX Care database (${DATABASE_FILE}); nothing was done. Check --data-dir or DATA_DIR: it must be the server's data directory.`,
  );
}

/**
 * Runs one admin command: resolves the data directory, refuses a wrong one and (for commands
 * that need it) one a live server holds, runs the command, then writes its audit line naming
 * the operator. Answers the exit status; never throws for an operator's mistake.
 */
export async function runAdmin(argv: readonly string[], commands: readonly AdminCommand[], io: AdminIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.out(helpText(commands));
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`unknown command "${name}"\n\n${helpText(commands)}`);
    return EXIT.usage;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...rest],
      options: { ...command.options, 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    io.err(`${name}: ${err instanceof Error ? err.message : String(err)}\nusage: npm run admin -- ${name} ${command.usage}`);
    return EXIT.usage;
  }
  const { 'data-dir': dataDirOption, help, ...values } = parsed.values;
  if (help) {
    io.out(`${command.summary}\nusage: npm run admin -- ${name} ${command.usage} [--data-dir <dir>]`);
    return EXIT.ok;
  }
  const args = command.args.safeParse({ ...values, positionals: parsed.positionals });
  if (!args.success) {
    const problems = args.error.issues.map((i) => `${i.path.length > 0 ? `--${i.path.join('.')}` : 'arguments'}: ${i.message}`);
    io.err(`${name}: ${problems.join('; ')}\nusage: npm run admin -- ${name} ${command.usage}`);
    return EXIT.usage;
  }

  // Set by ctx.openDb(); an object, as the closure assigns it.
  const opened: { db?: Promise<{ db: Db; close(): Promise<void> }> } = {};
  try {
    const config = loadConfig(typeof dataDirOption === 'string' ? { ...io.env, DATA_DIR: dataDirOption } : io.env);
    const dataDir = path.resolve(config.DATA_DIR);
    checkDataDir(dataDir, command);
    if (command.whileServerRuns === 'refuse') {
      const holder = lockHolder(dataDir);
      if (holder) throw new DataDirInUseError(dataDir, holder, `stop the server before "${name}"; nothing was done.`);
    }
    const ctx: AdminContext = {
      config,
      dataDir,
      clock: io.clock,
      operator: io.operator,
      print: io.out,
      readStdin: io.readStdin ?? (async () => ''),
      openDb: async () => {
        opened.db ??= openSqlite(dataDir, DATABASE_FILE);
        return (await opened.db).db;
      },
    };
    const note = await command.run(ctx, args.data);
    await appendAudit(await ctx.openDb(), {
      entityKind: note.entityKind,
      entityId: note.entityId,
      at: io.clock(),
      actor: io.operator,
      action: note.action,
      from: null,
      to: null,
      reason: note.reason,
      data: { ...note.data, via: 'admin-cli', host: os.hostname() },
    });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof AdminRefusal || err instanceof DataDirInUseError || err instanceof DatabaseRefusedError || err instanceof ConfigError) {
      io.err(`${name}: ${err.message}`);
      return EXIT.refused;
    }
    throw err;
  } finally {
    // A database refused while opening has nothing to close.
    await opened.db?.then(
      (o) => o.close(),
      () => undefined,
    );
  }
}
