import { describe, expect, it } from 'vitest';
import { RemoteSession } from './remote-session.ts';
import { TimelineEntry } from './timeline-entry.ts';
import { MAX_LINE_CHARS, renderTranscript } from './transcript.ts';

const AT = Date.UTC(2026, 10, 20, 2, 0);
const ENGINEER = { kind: 'user', username: 'li.wei', role: 'engineer' } as const;
const session = RemoteSession.parse({
  id: 7,
  serial: 'MTB2411000123',
  caseId: 41,
  queue: 'industry',
  state: 'ended',
  outcome: 'escalated',
  outcomeReason: 'power board dead',
  requestedAt: AT,
  requestedBy: 'li.wei',
  startedAt: AT,
  startedBy: 'li.wei',
  endedAt: AT + 600_000,
  endedBy: 'li.wei',
  ticketId: null,
  lastSeq: 5,
});

const entry = (seq: number, rest: object) => TimelineEntry.parse({ sessionId: 7, seq, at: AT + seq * 1000, ...rest });

describe('session transcript for the RMA ticket', () => {
  it('writes one line per entry with its time, author and what happened', () => {
    const text = renderTranscript(session, [
      entry(1, { author: ENGINEER, kind: 'chat', data: { text: 'is the PLC powered?' } }),
      entry(2, { author: { kind: 'customer', participantId: 3, label: 'site electrician' }, kind: 'chat', data: { text: 'yes, 24 V' } }),
      entry(3, { author: ENGINEER, kind: 'command', data: { name: 'plc.scan', args: { port: 1 }, timeoutMs: null } }),
      entry(4, {
        author: { kind: 'box', serial: 'MTB2411000123' },
        kind: 'command-result',
        data: { commandSeq: 3, commandId: 'cmd-9', status: 'failed', error: { code: 'plc-timeout', message: 'no answer' } },
      }),
      entry(5, {
        author: { kind: 'box', serial: 'MTB2411000123' },
        kind: 'fault',
        data: { faultId: 'f-1', ts: AT, code: 'PLC_LINK_DOWN', severity: 'error', state: 'raised', message: 'link lost' },
      }),
    ]);
    expect(text.split('\n')).toEqual([
      'Remote-guidance session #7 on MTB2411000123 (remote case #41), ended escalated by li.wei: power board dead. Timeline, 5 entries:',
      '2026-11-20T02:00:01.000Z #1 li.wei: is the PLC powered?',
      '2026-11-20T02:00:02.000Z #2 customer (site electrician): yes, 24 V',
      '2026-11-20T02:00:03.000Z #3 li.wei sent plc.scan {"port":1}',
      '2026-11-20T02:00:04.000Z #4 plc.scan → failed plc-timeout: no answer',
      '2026-11-20T02:00:05.000Z #5 fault PLC_LINK_DOWN (error, raised): link lost',
    ]);
  });

  it('clips a huge command result to one readable line', () => {
    const big = { params: 'x'.repeat(50_000) };
    const text = renderTranscript(session, [
      entry(1, {
        author: { kind: 'box', serial: 'MTB2411000123' },
        kind: 'command-result',
        data: { commandSeq: 1, commandId: 'c', status: 'succeeded', result: big, error: null },
      }),
    ]);
    const line = text.split('\n')[1]!;
    expect(line.length).toBe(MAX_LINE_CHARS);
    expect(line.endsWith('…')).toBe(true);
  });

  it('keeps the start and the end of a long timeline and says how much it left out', () => {
    const entries = Array.from({ length: 500 }, (_, i) =>
      entry(i + 1, { author: ENGINEER, kind: 'note', data: { text: `step ${i + 1} ${'y'.repeat(100)}` } }),
    );
    const text = renderTranscript(session, entries, 10_000);
    expect(text.length).toBeLessThanOrEqual(10_000 + 200);
    expect(text).toContain('#1 li.wei (note): step 1 ');
    expect(text).toContain('#500 li.wei (note): step 500 ');
    expect(text).toMatch(/… \d+ entries omitted; the whole timeline is at GET \/api\/sessions\/7 …/);
  });
});
