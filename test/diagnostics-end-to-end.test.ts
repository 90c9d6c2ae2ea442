import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimBox } from '../device-sim/index.ts';
import { startTestBackend, type TestBackend } from './helpers/backend.ts';
import { waitFor } from './helpers/wait-for.ts';

/*
 * Fault → decision over the real wire: simulated boxes publish over MQTT to the embedded
 * broker, diagnostics triages from SQLite, and the answers are read back through the API
 * and the socket.io live channel.
 */

interface Ticket {
  id: number;
  ticket: { state: string; form: Record<string, unknown>; openedBy: string; deadlines: Array<{ kind: string }> };
  warranty: { inWarranty: boolean | null; basis: string; end: string | null };
  exclusions: Array<{ exclusion: string; status: string; evidence: Array<{ type: string }> }>;
  origin: { kind: string; code: string | null; reason: string | null };
  queue: string;
  backup: { requestedAt: number } | null;
}
interface Case {
  id: number;
  state: string;
  code: string;
  faultCount: number;
  notes: Array<{ text: string }>;
  incidentId: number | null;
}
interface Decision {
  action: string;
  ruleId: string;
  catalogVersion: string;
  rulesVersion: string;
  reason: string;
  facts: Record<string, unknown>;
}

const DAY_MS = 86_400_000;
const isoDaysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10);

describe('diagnostics over real MQTT', () => {
  let backend: TestBackend;
  let headers: Record<string, string>;
  const boxes: SimBox[] = [];
  let serialSeq = 0;

  beforeAll(async () => {
    backend = await startTestBackend();
    headers = await backend.adminHeaders();
  });
  afterAll(async () => {
    await Promise.all(boxes.map((b) => b.stop({ graceful: false })));
    await backend.stop();
  });

  async function get<T>(path: string): Promise<T> {
    const res = await fetch(`${backend.api}${path}`, { headers });
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  }

  /** Registers a box through the API, as after-sales does at sale, and brings it online. */
  async function boxOnline(extra: Record<string, unknown> = {}, firmware = '2.4.1'): Promise<SimBox> {
    const serial = `MTB26E2E${String(++serialSeq).padStart(5, '0')}`;
    const res = await fetch(`${backend.api}/devices`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ serial, model: 'MT-BOX-4G', firmware, ...extra }),
    });
    if (res.status !== 201) throw new Error(`register ${serial}: ${res.status} ${await res.text()}`);
    const { secret } = (await res.json()) as { secret: string };
    const box = new SimBox({ serial, secret, mqttUrl: backend.mqttUrl, model: 'MT-BOX-4G', firmware });
    boxes.push(box);
    box.start();
    await box.waitOnline();
    return box;
  }

  const decisions = (serial: string) => get<Decision[]>(`/devices/${serial}/decisions`);
  const decided = (serial: string, n: number) =>
    waitFor(async () => ((await decisions(serial)).length >= n ? decisions(serial) : null), { what: `${n} decisions for ${serial}` });

  it('opens an RMA ticket for a hardware fault, with the registration form pre-filled and the warranty computed', async () => {
    const socket: Socket = connectSocket(`http://127.0.0.1:${backend.app.httpPort}`, {
      auth: { token: headers.authorization!.slice('Bearer '.length) },
      transports: ['websocket'],
      reconnection: false,
    });
    const live: Array<{ type: string; id: number }> = [];
    socket.on('live', (e: { type: string; id: number }) => live.push(e));
    const ack = (await socket.timeout(5000).emitWithAck('subscribe', { channel: 'tickets' })) as { ok: boolean };
    expect(ack.ok).toBe(true);

    const receipt = isoDaysAgo(40);
    const box = await boxOnline({
      saleDate: isoDaysAgo(45),
      receiptDate: receipt,
      customer: {
        name: 'Wuxi Pump Works',
        contacts: 'Li Wei',
        phone: '0510-8888-1234',
        address: '1 Canal Rd, Wuxi',
        businessLine: 'smart-logistics',
      },
    });
    box.raiseFault({ code: 'FLASH_WRITE_FAILED', severity: 'error', message: 'write to block 118 failed' });

    const [ticket] = await waitFor(
      async () => {
        const list = await get<Ticket[]>(`/tickets?serial=${box.serial}`);
        return list.length > 0 ? list : null;
      },
      { what: 'an RMA ticket' },
    );
    expect(ticket!.ticket.state).toBe('registered');
    expect(ticket!.ticket.openedBy).toBe('diagnostics');
    expect(ticket!.ticket.form).toEqual({
      customerName: 'Wuxi Pump Works',
      contacts: 'Li Wei',
      mailingAddress: '1 Canal Rd, Wuxi',
      contactNumber: '0510-8888-1234',
      productModel: 'MT-BOX-4G',
      serialNumber: box.serial,
      inWarranty: true,
      previousRepairs: 0,
      faultPhenomenon: expect.stringContaining('FLASH_WRITE_FAILED'),
    });
    expect(ticket!.warranty).toMatchObject({ inWarranty: true, basis: 'receipt-date' });
    expect(ticket!.queue).toBe('logistics');
    expect(ticket!.origin).toMatchObject({ kind: 'diagnostics', code: 'FLASH_WRITE_FAILED' });
    expect(ticket!.ticket.deadlines.map((d) => d.kind)).toContain('first-response');
    // Seed: parameters are backed up before the box is sent for repair.
    expect(ticket!.backup).not.toBeNull();

    const [decision] = await decided(box.serial, 1);
    expect(decision).toMatchObject({
      action: 'open-rma',
      ruleId: 'rma-open-ticket',
      catalogVersion: expect.any(String),
      rulesVersion: expect.any(String),
    });
    expect(decision!.reason).toContain('FLASH_WRITE_FAILED');
    expect(decision!.facts).toMatchObject({ serial: box.serial, code: 'FLASH_WRITE_FAILED', openTicket: null });

    await waitFor(() => live.find((e) => e.type === 'rma.opened' && e.id === ticket!.id), { what: 'the rma.opened live event' });
    socket.close();
  });

  it('opens a remote-guidance case for a fault an engineer can fix remotely, with the catalog steps', async () => {
    const box = await boxOnline();
    box.raiseFault({ code: 'CELL_APN_REJECTED', severity: 'error' });
    const [c] = await waitFor(
      async () => {
        const list = await get<Case[]>(`/cases?serial=${box.serial}`);
        return list.length > 0 ? list : null;
      },
      { what: 'a remote case' },
    );
    expect(c).toMatchObject({ state: 'open', code: 'CELL_APN_REJECTED', faultCount: 1 });
    const detail = await get<Case & { steps: string[]; decisions: Decision[] }>(`/cases/${c!.id}`);
    expect(detail.steps.length).toBeGreaterThan(0);
    expect(detail.decisions.map((d) => d.ruleId)).toEqual(['remote-open-case']);
    expect(await get<Ticket[]>(`/tickets?serial=${box.serial}`)).toEqual([]);
  });

  it('keeps one case for a flapping fault and only notes when it clears itself', async () => {
    const box = await boxOnline();
    for (let flap = 0; flap < 3; flap++) {
      box.raiseFault({ code: 'PLC_LINK_DOWN', severity: 'warning' });
      if (flap < 2) box.raiseFault({ code: 'PLC_LINK_DOWN', severity: 'info', state: 'cleared' });
    }
    await decided(box.serial, 5);
    const cases = await get<Case[]>(`/cases?serial=${box.serial}`);
    expect(cases).toHaveLength(1);
    // Still open: a fault that clears by itself closes nothing by surprise.
    expect(cases[0]).toMatchObject({ state: 'open', faultCount: 3 });
    expect(cases[0]!.notes).toHaveLength(2);
    expect(cases[0]!.notes[0]!.text).toContain('cleared itself');
    expect((await decisions(box.serial)).map((d) => d.action).reverse()).toEqual([
      'open-case',
      'note-cleared',
      'attach-case',
      'note-cleared',
      'attach-case',
    ]);
  });

  it('suggests a warranty exclusion on the ticket for a surge the box recorded before the fault', async () => {
    const box = await boxOnline({ receiptDate: isoDaysAgo(100) });
    box.recordEvent('surge', { port: 'PWR', peak_v: 900 });
    await decided(box.serial, 1);
    box.raiseFault({ code: 'POWER_RAIL_FAULT', severity: 'critical' });
    const [ticket] = await waitFor(
      async () => {
        const list = await get<Ticket[]>(`/tickets?serial=${box.serial}`);
        return list.length > 0 ? list : null;
      },
      { what: 'an RMA ticket' },
    );
    expect(ticket!.exclusions).toEqual([{ exclusion: 'force-majeure', status: 'suggested', evidence: [expect.objectContaining({ type: 'surge' })] }]);
    // Nothing is excluded without a person: the warranty still reads as covered.
    expect(ticket!.warranty.inWarranty).toBe(true);
  });

  it('flags one fleet incident when 20 boxes of one firmware raise the same code, not one case each', async () => {
    const fleet = await Promise.all(Array.from({ length: 20 }, () => boxOnline({}, '3.0.0-rc1')));
    for (const box of fleet) box.raiseFault({ code: 'MODBUS_CRC_ERRORS', severity: 'warning' });
    await Promise.all(fleet.map((box) => decided(box.serial, 1)));

    const incidents = await get<Array<{ id: number; code: string; firmware: string; boxCount: number }>>('/incidents');
    const mine = incidents.filter((i) => i.code === 'MODBUS_CRC_ERRORS');
    expect(mine).toEqual([expect.objectContaining({ firmware: '3.0.0-rc1', boxCount: 20 })]);
    // The boxes triaged before the threshold opened cases; they now belong to the incident.
    const cases = (await get<Case[]>('/cases?limit=1000')).filter((c) => c.code === 'MODBUS_CRC_ERRORS');
    expect(cases.length).toBeLessThan(5);
    expect(cases.every((c) => c.incidentId === mine[0]!.id)).toBe(true);
    const tickets = (await get<Ticket[]>('/tickets?limit=1000')).filter((t) => t.origin.code === 'MODBUS_CRC_ERRORS');
    expect(tickets).toEqual([]);
  });
});
