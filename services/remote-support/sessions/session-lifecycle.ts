import { CLOSED_CASE_STATES } from '../../after-sales/diagnostics/index.ts';
import type { Db } from '../../platform/db/index.ts';
import { AppError } from '../../kernel/app-error.ts';
import { allowedFrom } from '../../kernel/state-machine.ts';
import type { BusinessLine } from '../../kernel/business-line.ts';
import { queueFor } from '../../after-sales/support/index.ts';
import type { SupportQueue } from '../../kernel/support-queue.ts';
import type { Tenant } from '../../kernel/tenant.ts';
import { LINK_TTL_MINUTES } from './domain/customer-link.ts';
import {
  endSession,
  openSession,
  startSession,
  SESSION_TRANSITIONS,
  withTicket,
  type RemoteSession,
  type SessionActor,
  type SessionOutcome,
  type SessionState,
} from './domain/remote-session.ts';
import type { SessionDetail, SessionView } from './domain/session-views.ts';
import { commandsOf, type NewTimelineEntry } from './domain/timeline-entry.ts';
import { renderTranscript } from './domain/transcript.ts';
import type { PortalSession } from './domain/portal-session-view.ts';
import { openEscalationTicket } from './escalation.ts';
import { joinFromPortal, listPortalSessions } from './portal-sessions.ts';
import { hashLinkSecret, newLinkSecret } from './link-secret.ts';
import type { SessionCore } from './session-core.ts';
import { insertLink } from './store/customer-link-store.ts';
import {
  insertSession,
  listSessions,
  loadSession,
  lockBoxForSessions,
  openSessionOf,
  queuedRequests,
  saveSession,
} from './store/remote-session-store.ts';
import { appendEntries, listEntries } from './store/timeline-store.ts';

export interface CreatedLink {
  id: number;
  sessionId: number;
  /** Shown once: only its sha256 is stored. */
  token: string;
  label: string | null;
  expiresAt: number;
}

/** Opening, starting and ending sessions, and customer links: what the HTTP API does. */
export interface SessionLifecycle {
  open(input: { serial: string; caseId?: number | undefined }, actor: SessionActor): Promise<SessionDetail>;
  /** With the whole timeline, or with a part of it: at most `limit` entries after `afterSeq`. */
  get(id: number, part?: { afterSeq: number; limit: number }): Promise<SessionDetail>;
  /** Newest first; `beforeId` continues a page. */
  list(filter: { serial?: string; state?: SessionState; beforeId?: number; limit: number }): Promise<SessionView[]>;
  start(id: number, actor: SessionActor): Promise<SessionDetail>;
  /** Ends the session; `escalated` opens the RMA ticket, whose id the answer's `ticketId` carries. */
  end(id: number, command: { outcome: SessionOutcome; reason: string }, actor: SessionActor): Promise<SessionDetail>;
  createLink(id: number, input: { label?: string | undefined; ttlMinutes?: number | undefined }, actor: SessionActor): Promise<CreatedLink>;
  /** The customer portal: sessions on the organisation's boxes it was invited to. */
  portalList(tenant: Tenant): Promise<PortalSession[]>;
  /** The customer portal: a fresh customer link for this account on an invited session. */
  portalJoin(id: number, tenant: Tenant, actor: SessionActor): Promise<{ token: string; sessionId: number; expiresAt: number }>;
}

const byUser = (actor: SessionActor) => ({ kind: 'user' as const, username: actor.username, role: actor.role });

export function createSessionLifecycle(core: SessionCore): SessionLifecycle {
  const { deps } = core;
  const { db, clock } = deps;

  /** Queued sessions behind one that left the queue move up: their rooms are told. */
  async function requeue(queue: SupportQueue): Promise<void> {
    const waiting = (await queuedRequests(db)).filter((r) => r.queue === queue);
    await Promise.all(waiting.map((r) => core.lock.run(r.id, () => core.publishState(r.id))));
  }

  const lifecycle: SessionLifecycle = {
    async open(input, actor) {
      return lifecycle.get(await openForBox(core, input, actor));
    },

    async get(id, part) {
      const session = await core.requireSession(id);
      if (!part) {
        const timeline = await listEntries(db, id);
        return { ...(await core.snapshot(session)), timeline, nextAfterSeq: null, commands: commandsOf(timeline) };
      }
      const fetched = await listEntries(db, id, part.afterSeq, { limit: part.limit + 1 });
      const timeline = fetched.slice(0, part.limit);
      // A command and its result may fall in different parts; the list of commands is whole.
      const commandEntries = await listEntries(db, id, 0, { kinds: ['command', 'command-result'] });
      return {
        ...(await core.snapshot(session)),
        timeline,
        nextAfterSeq: fetched.length > part.limit && timeline.length > 0 ? timeline.at(-1)!.seq : null,
        commands: commandsOf(commandEntries),
      };
    },

    async list(filter) {
      return core.views(await listSessions(db, filter));
    },

    async start(id, actor) {
      const queue = await core.lock.run(id, async () => {
        const before = await core.requireSession(id);
        const r = startSession(before, actor, clock());
        if (!r.ok) throw new AppError('SESSION_INVALID_TRANSITION', r.error);
        const entries: NewTimelineEntry[] = [...r.entries, ...(await core.telemetrySnapshot(before.serial, r.session.startedAt ?? clock()))];
        const appended = await db.transaction().execute(async (tx) => {
          await saveMove(tx, before.state, r.session);
          return appendEntries(tx, id, entries);
        });
        core.publishTimeline(appended);
        await core.publishState(id);
        core.publishLive('session.started', r.session);
        return before.queue;
      });
      await requeue(queue);
      return lifecycle.get(id);
    },

    async end(id, command, actor) {
      const left = await core.lock.run(id, async () => {
        const before = await core.requireSession(id);
        const r = endSession(before, command, actor, clock());
        if (!r.ok) throw new AppError('SESSION_INVALID_TRANSITION', r.error);
        let ended = { session: r.session, entries: r.entries };
        for (const effect of r.effects) {
          // The ticket gets the timeline as it stood when the session ended, as a note whoever
          // repairs the box reads; the timeline itself stays with the session.
          const transcript = renderTranscript(r.session, await listEntries(db, id));
          const ticketId = await openEscalationTicket(deps, effect, actor, id);
          await deps.rma.addNote(ticketId, transcript, actor);
          ended = withTicket(ended.session, ended.entries, ticketId);
        }
        const appended = await db.transaction().execute(async (tx) => {
          await saveMove(tx, before.state, ended.session);
          return appendEntries(tx, id, ended.entries);
        });
        core.trackOpen(ended.session);
        core.publishTimeline(appended);
        await core.publishState(id);
        core.publishLive('session.ended', ended.session);
        return before.state === 'queued' ? before.queue : null;
      });
      if (left) await requeue(left);
      return lifecycle.get(id);
    },

    createLink: (id, input, actor) => createLinkFor(core, id, input, actor),
    portalList: (tenant) => listPortalSessions(core, tenant),
    portalJoin: (id, tenant, actor) => joinFromPortal(core, (i, input, a) => createLinkFor(core, i, input, a), id, tenant, actor),
  };
  return lifecycle;
}

/**
 * Saves a session moved out of state `from`. The session's lock is per node: when another
 * node moved it first, nothing is written and the move is refused from the state it is in now.
 */
async function saveMove(tx: Db, from: SessionState, moved: RemoteSession): Promise<void> {
  if (await saveSession(tx, moved, from)) return;
  const now = (await loadSession(tx, moved.id))?.state ?? from;
  throw new AppError('SESSION_INVALID_TRANSITION', {
    code: 'SESSION_INVALID_TRANSITION',
    from: now,
    to: moved.state,
    allowed: allowedFrom(SESSION_TRANSITIONS, now),
  });
}

/** Opens a session on a box (active in support hours, queued otherwise); answers its id. */
async function openForBox(core: SessionCore, input: { serial: string; caseId?: number | undefined }, actor: SessionActor): Promise<number> {
  const { deps } = core;
  const { db, clock } = deps;
  const now = clock();
  const device = await db.selectFrom('devices').select(['id', 'serial', 'business_line']).where('serial', '=', input.serial).executeTakeFirst();
  if (!device) throw new AppError('DEVICE_NOT_FOUND', { serial: input.serial });
  if (input.caseId !== undefined) {
    const c = await deps.cases.get(input.caseId);
    if (c.serial !== device.serial) throw new AppError('SESSION_CASE_UNUSABLE', { caseId: c.id, reason: 'other-box', serial: c.serial });
    if (CLOSED_CASE_STATES.includes(c.state)) throw new AppError('SESSION_CASE_UNUSABLE', { caseId: c.id, reason: 'closed', state: c.state });
  }
  const opened = openSession(
    {
      serial: device.serial,
      caseId: input.caseId ?? null,
      queue: queueFor(device.business_line as BusinessLine | null),
      inSupportHours: deps.calendar.current().isSupportHours(now),
    },
    actor,
    now,
  );
  const snapshot = opened.session.state === 'active' ? await core.telemetrySnapshot(device.serial, now) : [];
  const id = await db.transaction().execute(async (tx) => {
    // Checked in the transaction that inserts, so two engineers cannot open two sessions on one box.
    await lockBoxForSessions(tx, device.id);
    const existing = await openSessionOf(tx, device.serial);
    if (existing) throw new AppError('SESSION_ALREADY_OPEN', { serial: device.serial, sessionId: existing.id });
    const id = await insertSession(tx, device.id, opened.session);
    await appendEntries(tx, id, [...opened.entries, ...snapshot]);
    return id;
  });
  // Nobody can have joined the room before this commit: joiners get these first entries
  // in their join answer, so nothing is sent to the room here.
  const session = await core.requireSession(id);
  core.trackOpen(session);
  core.publishLive('session.opened', session);
  return id;
}

/** A customer link for the session; the token is answered once, only its hash is stored. */
async function createLinkFor(
  core: SessionCore,
  id: number,
  input: { label?: string | undefined; ttlMinutes?: number | undefined },
  actor: SessionActor,
): Promise<CreatedLink> {
  const { db, clock } = core.deps;
  return core.lock.run(id, async () => {
    const session = await core.requireSession(id);
    if (session.state === 'ended') throw new AppError('SESSION_ENDED', { id });
    const now = clock();
    const token = newLinkSecret();
    const expiresAt = now + (input.ttlMinutes ?? LINK_TTL_MINUTES.default) * 60_000;
    const label = input.label ?? null;
    const text = `${actor.username} created a customer link${label ? ` for ${label}` : ''}, to be opened before ${new Date(expiresAt).toISOString()}`;
    const { linkId, appended } = await db.transaction().execute(async (tx) => ({
      linkId: await insertLink(tx, { sessionId: id, tokenHash: hashLinkSecret(token), label, createdAt: now, createdBy: actor.username, expiresAt }),
      appended: await appendEntries(tx, id, [{ at: now, author: byUser(actor), kind: 'system', data: { action: 'link-created', text } }]),
    }));
    core.publishTimeline(appended);
    return { id: linkId, sessionId: id, token, label, expiresAt };
  });
}
