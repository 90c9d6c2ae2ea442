import { closeSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import type { Selectable } from 'kysely';
import type { AuditLogTable, Db } from '../../db/index.ts';
import { AdminRefusal, defineCommand } from '../admin-command.ts';
import { NoPositionals } from './account-support.ts';

/** A calendar date (midnight UTC) or a date and time with its offset: nothing left to guess. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const PAGE = 1000;
const CSV_COLUMNS = ['id', 'at', 'at_ms', 'entity_kind', 'entity_id', 'actor', 'action', 'from_state', 'to_state', 'reason', 'data'];

function instant(option: string, text: string): number {
  const ms = ISO_INSTANT.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new AdminRefusal(
      `${option}: "${text}" is not an ISO date (2026-11-01) or date and time with its offset (2026-11-01T08:00:00Z); nothing was done`,
    );
  }
  return ms;
}

/** The audit lines with from <= at < to, in the order they were written, a page at a time. */
async function* auditRange(db: Db, from: number, to: number): AsyncGenerator<AuditRow> {
  let afterId = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('at', '>=', from)
      .where('at', '<', to)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    yield* rows;
    if (rows.length < PAGE) return;
    afterId = rows.at(-1)?.id ?? afterId;
  }
}

type AuditRow = Selectable<AuditLogTable>;

function jsonLine(r: AuditRow): string {
  const at = Number(r.at);
  return JSON.stringify({
    id: r.id,
    at: new Date(at).toISOString(),
    atMs: at,
    entityKind: r.entity_kind,
    entityId: r.entity_id,
    actor: r.actor,
    action: r.action,
    from: r.from_state,
    to: r.to_state,
    reason: r.reason,
    data: r.data === null ? null : (JSON.parse(r.data) as unknown),
  });
}

function csvLine(r: AuditRow): string {
  const at = Number(r.at);
  const row = [r.id, new Date(at).toISOString(), at, r.entity_kind, r.entity_id, r.actor, r.action, r.from_state, r.to_state, r.reason, r.data];
  return stringify([row]).replace(/\n$/, '');
}

/**
 * The audit log of a time range, as CSV (with a header) or JSON lines, to standard output or a
 * new file only its owner reads (0600). A read, so it runs next to a live server.
 */
export const exportAuditCommand = defineCommand({
  name: 'export-audit',
  summary: 'writes the audit log of a time range [from, to) as CSV or JSON lines',
  usage: '--from <ISO date/time> --to <ISO date/time> --format csv|jsonl [--output <file>]',
  options: { from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' }, output: { type: 'string' } },
  args: z.object({
    from: z.string(),
    to: z.string(),
    format: z.enum(['csv', 'jsonl']),
    output: z.string().min(1).optional(),
    positionals: NoPositionals,
  }),
  whileServerRuns: 'allow',
  dataDir: 'existing',
  async run(ctx, args) {
    const from = instant('--from', args.from);
    const to = instant('--to', args.to);
    if (from >= to) throw new AdminRefusal(`--from must be before --to (${args.from} is not before ${args.to}); nothing was done`);
    const output = args.output === undefined ? null : path.resolve(args.output);
    let fd: number | null = null;
    if (output) {
      try {
        // `wx`: an existing file is never overwritten; 0600: the audit log names people.
        fd = openSync(output, 'wx', 0o600);
      } catch (err) {
        throw new AdminRefusal(`--output: cannot create ${output} (${(err as NodeJS.ErrnoException).code ?? String(err)}); nothing was done`);
      }
    }
    const write = fd === null ? ctx.print : (line: string) => void writeSync(fd, `${line}\n`);
    let rows = 0;
    try {
      if (args.format === 'csv') write(stringify([CSV_COLUMNS]).replace(/\n$/, ''));
      for await (const r of auditRange(await ctx.openDb(), from, to)) {
        write(args.format === 'csv' ? csvLine(r) : jsonLine(r));
        rows++;
      }
    } finally {
      if (fd !== null) closeSync(fd);
    }
    if (output) ctx.print(`wrote ${rows} audit line(s) to ${output}`);
    const range = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
    return {
      entityKind: 'system',
      entityId: 0,
      action: 'admin.export-audit',
      reason: `exported the audit log from ${range.from} to ${range.to}`,
      data: { ...range, format: args.format, rows, output },
    };
  },
});
