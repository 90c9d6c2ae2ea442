import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionDetail } from '../services/remote-support/sessions/domain/session-views.ts';
import { PARTICIPANT_LIMITS } from '../services/remote-support/realtime/participant-limits.ts';
import { CommandRequest } from '../services/contract/payloads.ts';
import { topicFor } from '../services/contract/topics.ts';
import { connectBox, publish } from './helpers/backend.ts';
import { startSessionFixture, type Account, type SessionClient, type SessionFixture } from './helpers/session-fixture.ts';

/*
 * People, not only boxes, are limited: a customer link once posted 5,000 lines of 3.9 KB in
 * under a second and made the session 20 MB. The fixture's clock stands still, so no bucket
 * refills during a test and the counts below are exact.
 */

let f: SessionFixture;
let engineer: Account;

beforeAll(async () => {
  f = await startSessionFixture();
  engineer = await f.account('engineer');
});
afterAll(() => f.close());

async function openSession(): Promise<SessionDetail> {
  const box = await f.boxOnline();
  const res = await f.api<SessionDetail>('POST', '/sessions', engineer.headers, { serial: box.serial });
  if (res.status !== 201) throw new Error(`open session: ${res.status}`);
  return res.body;
}

async function joinedClient(auth: Parameters<SessionFixture['connect']>[0], sessionId: number): Promise<SessionClient> {
  const client = f.connect(auth);
  await client.connected();
  const ack = await client.request<{ ok: boolean }>('session.join', { sessionId });
  if (!ack.ok) throw new Error(`join: ${JSON.stringify(ack)}`);
  return client;
}

describe('limits on what people send in a session', () => {
  it('cuts a customer link’s chat flood off with RATE_LIMITED while the API and staff carry on', async () => {
    const session = await openSession();
    const link = await f.api<{ token: string }>('POST', `/sessions/${session.id}/links`, engineer.headers, { label: 'plant PC' });
    const customer = await joinedClient({ sessionLink: link.body.token }, session.id);
    const staff = await joinedClient({ token: engineer.token }, session.id);

    const line = 'x'.repeat(3900);
    const answers = await Promise.all(
      Array.from({ length: 300 }, () =>
        customer.request<{ ok: boolean; error?: { code: string; details: { retryAfterMs: number } } }>('session.chat', {
          sessionId: session.id,
          text: line,
        }),
      ),
    );
    const accepted = answers.filter((a) => a.ok).length;
    const limited = answers.filter((a) => !a.ok && a.error?.code === 'RATE_LIMITED');
    // One full-length line fits the customer's text budget; the rest of the burst is refused.
    expect(accepted).toBe(Math.floor(PARTICIPANT_LIMITS.customer.textChars.capacity / line.length));
    expect(limited).toHaveLength(300 - accepted);
    expect(limited[0]!.error!.details.retryAfterMs).toBeGreaterThan(0);

    const health = await fetch(`${f.backend.api}/health`);
    expect(health.status).toBe(200);
    expect(await staff.request('session.chat', { sessionId: session.id, text: 'I see your message, checking now' })).toMatchObject({ ok: true });
    const detail = await f.api<SessionDetail>('GET', `/sessions/${session.id}`, engineer.headers);
    const chats = detail.body.timeline.filter((e) => e.kind === 'chat');
    expect(chats).toHaveLength(accepted + 1);
  });

  it('limits a customer link’s events of any kind, counted per link across its connections', async () => {
    const session = await openSession();
    const link = await f.api<{ token: string }>('POST', `/sessions/${session.id}/links`, engineer.headers, {});
    const customer = await joinedClient({ sessionLink: link.body.token }, session.id);
    // The join already took one event; leave requests are cheap but still count.
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => customer.request<{ ok: boolean; error?: { code: string } }>('session.leave', { sessionId: session.id })),
    );
    const limited = answers.filter((a) => !a.ok && a.error?.code === 'RATE_LIMITED').length;
    expect(limited).toBe(40 - (PARTICIPANT_LIMITS.customer.events.capacity - 1));
  });

  it('refuses deeply nested command args in a session before anything reaches the box', async () => {
    const session = await openSession();
    const staff = await joinedClient({ token: engineer.token }, session.id);
    let deep: unknown = 1;
    for (let i = 0; i < 1000; i++) deep = { a: deep };
    const ack = await staff.request<{ ok: boolean; error: { code: string; details: Array<{ path: string }> } }>('session.command', {
      sessionId: session.id,
      name: 'params.set',
      args: { changes: deep },
    });
    expect(ack).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: [{ path: 'args' }] } });
    const commands = await f.api<unknown[]>('GET', `/devices/${session.serial}/commands`, engineer.headers);
    expect(commands.body).toEqual([]);
  });

  it('ends a session command failed on the timeline when the box answers with 10,000 nested levels', async () => {
    const { serial, secret } = await f.register();
    const box = await connectBox(f.backend.mqttUrl, serial, secret);
    box.on('message', (_topic, payload) => {
      const req = CommandRequest.parse(JSON.parse(payload.toString()));
      void publish(box, topicFor(serial, 'cmd/res'), `{"id":"${req.id}","ok":true,"result":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`);
    });
    await box.subscribeAsync(topicFor(serial, 'cmd/req'), { qos: 1 });
    const opened = await f.api<SessionDetail>('POST', '/sessions', engineer.headers, { serial });
    const staff = await joinedClient({ token: engineer.token }, opened.body.id);
    const ack = await staff.request<{ ok: boolean; outcome: { status: string; error: { code: string } }; resultSeq: number }>('session.command', {
      sessionId: opened.body.id,
      name: 'ping',
    });
    expect(ack).toMatchObject({ ok: true, outcome: { status: 'failed', error: { code: 'invalid-answer' } } });
    const detail = await f.api<SessionDetail>('GET', `/sessions/${opened.body.id}`, engineer.headers);
    expect(detail.body.timeline.find((e) => e.seq === ack.resultSeq)).toMatchObject({ kind: 'command-result' });
    expect((await fetch(`${f.backend.api}/health`)).status).toBe(200);
    await box.endAsync();
  });
});
