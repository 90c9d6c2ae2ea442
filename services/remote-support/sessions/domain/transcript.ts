import type { RemoteSession } from './remote-session.ts';
import type { Author, TimelineEntry } from './timeline-entry.ts';

/** Longest line kept from one entry (a params.get result is ~100 KiB of JSON). */
export const MAX_LINE_CHARS = 1000;
/** The ticket note stays readable; a longer timeline keeps its start and its end. */
export const MAX_TRANSCRIPT_CHARS = 60_000;

function who(author: Author): string {
  switch (author.kind) {
    case 'user':
      return author.username;
    case 'customer':
      return author.label ? `customer (${author.label})` : `customer #${author.participantId}`;
    case 'box':
      return author.serial;
    case 'system':
      return 'system';
  }
}

const json = (value: unknown): string => (value === undefined ? '' : ` ${JSON.stringify(value)}`);

function describe(e: TimelineEntry, commandNames: ReadonlyMap<number, string>): string {
  switch (e.kind) {
    case 'note':
      return `${who(e.author)} (note): ${e.data.text}`;
    case 'chat':
      return `${who(e.author)}: ${e.data.text}`;
    case 'command':
      return `${who(e.author)} sent ${e.data.name}${json(e.data.args)}`;
    case 'command-result': {
      const name = commandNames.get(e.data.commandSeq) ?? `command #${e.data.commandSeq}`;
      const error = e.data.error ? ` ${e.data.error.code}: ${e.data.error.message}` : '';
      return `${name} → ${e.data.status}${error}${json(e.data.result)}`;
    }
    case 'telemetry-snapshot':
      return `telemetry: ${
        Object.entries(e.data.metrics)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ') || '(none reported yet)'
      }`;
    case 'fault':
      return `fault ${e.data.code} (${e.data.severity}, ${e.data.state})${e.data.message ? `: ${e.data.message}` : ''}`;
    case 'event':
      return `event ${e.data.type}${json(e.data.details ?? undefined)}`;
    case 'participant-joined':
      return `${who(e.author)} joined`;
    case 'participant-left':
      return `${who(e.author)} left`;
    case 'system':
    case 'tunnel-opened':
    case 'tunnel-closed':
      return e.data.text;
  }
}

function clip(line: string, max: number): string {
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/**
 * The session's timeline as plain text for the RMA ticket it escalated to, one line per
 * entry with its UTC time, so whoever repairs the box reads what was tried remotely.
 */
export function renderTranscript(session: RemoteSession, entries: readonly TimelineEntry[], maxChars = MAX_TRANSCRIPT_CHARS): string {
  const outcome = session.outcome === null ? '' : `, ended ${session.outcome} by ${session.endedBy ?? 'unknown'}: ${session.outcomeReason ?? ''}`;
  const header = `Remote-guidance session #${session.id} on ${session.serial}${session.caseId === null ? '' : ` (remote case #${session.caseId})`}${outcome}. Timeline, ${entries.length} entries:`;
  const names = new Map(entries.flatMap((e) => (e.kind === 'command' ? [[e.seq, e.data.name] as const] : [])));
  const lines = entries.map((e) => clip(`${new Date(e.at).toISOString()} #${e.seq} ${describe(e, names)}`, MAX_LINE_CHARS));
  const total = lines.reduce((n, l) => n + l.length + 1, header.length);
  if (total <= maxChars) return [header, ...lines].join('\n');
  // Over budget: the start (what the problem was) and the end (what was decided) matter most.
  const budget = Math.floor((maxChars - header.length) / 2);
  const head: string[] = [];
  let used = 0;
  for (const l of lines) {
    if (used + l.length + 1 > budget) break;
    head.push(l);
    used += l.length + 1;
  }
  const tail: string[] = [];
  used = 0;
  for (let i = lines.length - 1; i >= head.length; i--) {
    const l = lines[i]!;
    if (used + l.length + 1 > budget) break;
    tail.unshift(l);
    used += l.length + 1;
  }
  const omitted = lines.length - head.length - tail.length;
  return [header, ...head, `… ${omitted} entries omitted; the whole timeline is at GET /api/sessions/${session.id} …`, ...tail].join('\n');
}
