import { describe, expect, it } from 'vitest';
import { appendRefusal, commandsOf, NewTimelineEntry, TIMELINE_KINDS, TimelineEntry, type TimelineKind } from './timeline-entry.ts';
import { SESSION_STATES } from './remote-session.ts';

const AT = Date.UTC(2026, 10, 20, 2, 0);
const ENGINEER = { kind: 'user', username: 'li.wei', role: 'engineer' } as const;
const BOX = { kind: 'box', serial: 'MTB2411000123' } as const;

// One valid entry of each kind: the schema must take every kind the timeline knows.
const SAMPLES: Record<TimelineKind, unknown> = {
  note: { at: AT, author: ENGINEER, kind: 'note', data: { text: 'checked the PLC wiring' } },
  chat: { at: AT, author: { kind: 'customer', participantId: 3, label: 'site electrician' }, kind: 'chat', data: { text: 'the red LED is on' } },
  command: { at: AT, author: ENGINEER, kind: 'command', data: { name: 'ping', args: {}, timeoutMs: null } },
  'command-result': {
    at: AT,
    author: BOX,
    kind: 'command-result',
    data: { commandSeq: 3, commandId: 'cmd-1', status: 'succeeded', result: { pong: true }, error: null },
  },
  'telemetry-snapshot': { at: AT, author: BOX, kind: 'telemetry-snapshot', data: { ts: AT, metrics: { cpu_pct: 12 } } },
  fault: {
    at: AT,
    author: BOX,
    kind: 'fault',
    data: { faultId: 'f-1', ts: AT, code: 'PLC_LINK_DOWN', severity: 'error', state: 'raised', message: null },
  },
  event: { at: AT, author: BOX, kind: 'event', data: { eventId: 'e-1', ts: AT, type: 'tamper', details: null } },
  'participant-joined': { at: AT, author: ENGINEER, kind: 'participant-joined', data: { participantId: 1 } },
  'participant-left': { at: AT, author: ENGINEER, kind: 'participant-left', data: { participantId: 1 } },
  system: { at: AT, author: { kind: 'system' }, kind: 'system', data: { action: 'started', text: 'li.wei started the session' } },
  'tunnel-opened': {
    at: AT,
    author: ENGINEER,
    kind: 'tunnel-opened',
    data: { tunnelId: '0123456789abcdef0123456789abcdef', host: '192.168.1.10', port: 502, text: 'Tunnel to 192.168.1.10:502 opened by li.wei.' },
  },
  'tunnel-closed': {
    at: AT,
    author: { kind: 'system' },
    kind: 'tunnel-closed',
    data: {
      tunnelId: '0123456789abcdef0123456789abcdef',
      host: '192.168.1.10',
      port: 502,
      text: 'Tunnel to 192.168.1.10:502 closed (idle).',
      reason: 'idle',
      durationMs: 300_000,
      bytesUp: 120,
      bytesDown: 96,
    },
  },
};

describe('timeline entry schema', () => {
  it.each(TIMELINE_KINDS)('takes a %s entry, and the same numbered as stored', (kind) => {
    const entry = SAMPLES[kind] as object;
    expect(NewTimelineEntry.parse(entry)).toEqual(entry);
    expect(TimelineEntry.parse({ ...entry, sessionId: 7, seq: 1 })).toEqual({ ...entry, sessionId: 7, seq: 1 });
  });

  it('keeps text exactly as written, markup included: clients render it as text', () => {
    const text = '<b>bold</b> & <script>alert(1)</script>';
    expect(NewTimelineEntry.parse({ at: AT, author: ENGINEER, kind: 'chat', data: { text } })).toMatchObject({ data: { text } });
  });

  it.each([
    ['an unknown kind', { ...(SAMPLES.note as object), kind: 'poll' }],
    ['blank text', { at: AT, author: ENGINEER, kind: 'chat', data: { text: '   ' } }],
    ['text over 4000 characters', { at: AT, author: ENGINEER, kind: 'note', data: { text: 'x'.repeat(4001) } }],
    ['data of another kind', { at: AT, author: ENGINEER, kind: 'note', data: { participantId: 1 } }],
    ['an extra field', { ...(SAMPLES.note as object), html: '<p>' }],
    ['an unknown command', { at: AT, author: ENGINEER, kind: 'command', data: { name: 'format-disk', args: {}, timeoutMs: null } }],
    ['a made-up author', { ...(SAMPLES.note as object), author: { kind: 'robot' } }],
  ])('refuses %s', (_name, entry) => {
    expect(NewTimelineEntry.safeParse(entry).success).toBe(false);
  });

  it('numbers entries from 1', () => {
    expect(TimelineEntry.safeParse({ ...(SAMPLES.note as object), sessionId: 7, seq: 0 }).success).toBe(false);
  });
});

describe('what a session takes on its timeline', () => {
  const table = SESSION_STATES.flatMap((state) => TIMELINE_KINDS.map((kind) => [state, kind, appendRefusal(state, kind)] as const));

  it('takes everything while active', () => {
    expect(table.filter(([s, , r]) => s === 'active' && r !== null)).toEqual([]);
  });

  it('takes everything but commands and tunnels while queued', () => {
    expect(table.filter(([s, , r]) => s === 'queued' && r !== null)).toEqual([
      ['queued', 'command', 'SESSION_NOT_STARTED'],
      ['queued', 'tunnel-opened', 'SESSION_NOT_STARTED'],
    ]);
  });

  it('takes only the results of earlier commands and the closing of earlier tunnels once ended', () => {
    const ended = table.filter(([s]) => s === 'ended');
    expect(ended.filter(([, , r]) => r === null).map(([, k]) => k)).toEqual(['command-result', 'tunnel-closed']);
    expect(new Set(ended.filter(([, , r]) => r !== null).map(([, , r]) => r))).toEqual(new Set(['SESSION_ENDED']));
  });
});

describe('commands of a timeline', () => {
  it('pairs each command with its result entry, in the order they were sent', () => {
    const entries = [
      { sessionId: 7, seq: 1, ...(SAMPLES.command as object) },
      { sessionId: 7, seq: 2, at: AT, author: ENGINEER, kind: 'command', data: { name: 'reboot', args: { delayS: 5 }, timeoutMs: 30_000 } },
      {
        sessionId: 7,
        seq: 3,
        at: AT + 5,
        author: BOX,
        kind: 'command-result',
        data: { commandSeq: 1, commandId: 'cmd-1', status: 'succeeded', result: { pong: true }, error: null },
      },
    ].map((e) => TimelineEntry.parse(e));
    expect(commandsOf(entries)).toEqual([
      {
        seq: 1,
        at: AT,
        by: ENGINEER,
        name: 'ping',
        args: {},
        timeoutMs: null,
        result: { seq: 3, at: AT + 5, commandSeq: 1, commandId: 'cmd-1', status: 'succeeded', result: { pong: true }, error: null },
      },
      { seq: 2, at: AT, by: ENGINEER, name: 'reboot', args: { delayS: 5 }, timeoutMs: 30_000, result: null },
    ]);
  });
});
