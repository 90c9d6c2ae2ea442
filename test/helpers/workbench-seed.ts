import type { MqttClient } from 'mqtt';
import { topicFor } from '../../services/contract/topics.ts';
import { connectBox, publish, type TestBackend } from './backend.ts';
import { waitFor } from './wait-for.ts';

/**
 * A small plant's worth of work for the whole workbench, made the way it happens: raw MQTT
 * boxes report faults, diagnostics opens a repair ticket, a remote case and (five boxes of one
 * model failing alike) a fleet incident; an admin opens a remote session and a platform ticket
 * over the API. Every page then has something to show.
 */

const DAY_MS = 86_400_000;
// Remote-class fault the incident rule counts across boxes; hardware-class fault for the ticket.
const REMOTE_CODE = 'PLC_TIMEOUT';
const HARDWARE_CODE = 'FLASH_WRITE_FAILED';
const INCIDENT_BOXES = 5;

export interface WorkbenchSeed {
  /** The box with the repair ticket. */
  serial: string;
  ticketId: number;
  caseId: number;
  incidentId: number;
  sessionId: number;
  platformTicketId: string;
  boxes: MqttClient[];
}

/** An admin's call to the API; anything but a 2xx answer throws, naming the call. */
export async function adminCall<T>(backend: TestBackend, method: string, path: string, body?: unknown): Promise<T> {
  const headers = await backend.adminHeaders();
  const res = await fetch(`${backend.api}${path}`, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Registers a box (customer name as given, markup included) and connects it. */
export async function registerBox(backend: TestBackend, serial: string, customer: string): Promise<MqttClient> {
  const { secret } = await adminCall<{ secret: string }>(backend, 'POST', '/devices', {
    serial,
    model: 'MT-BOX-4G',
    firmware: '2.4.1',
    receiptDate: new Date(Date.now() - 90 * DAY_MS).toISOString().slice(0, 10),
    customer: { name: customer, contacts: 'Li Wei', phone: '0510-8888-1234', address: '1 Canal Rd, Wuxi', businessLine: 'smart-logistics' },
  });
  return connectBox(backend.mqttUrl, serial, secret);
}

export async function seedWorkbench(backend: TestBackend, prefix = 'MTB26WB'): Promise<WorkbenchSeed> {
  const boxes: MqttClient[] = [];
  const serial = `${prefix}00001`;
  const repairBox = await registerBox(backend, serial, 'Wuxi Pump Works');
  boxes.push(repairBox);
  const now = Date.now();
  for (let i = 0; i < 20; i++) {
    await publish(repairBox, topicFor(serial, 'telemetry'), {
      ts: now - (20 - i) * 60_000,
      seq: i,
      metrics: { cpu_temp: 40 + (i % 5), rssi: -70 + i },
    });
  }
  await publish(repairBox, topicFor(serial, 'fault'), {
    id: 'seed-hw',
    ts: now,
    code: HARDWARE_CODE,
    severity: 'error',
    message: 'flash write failed',
  });

  for (let n = 2; n < 2 + INCIDENT_BOXES; n++) {
    const other = `${prefix}${String(n).padStart(5, '0')}`;
    const box = await registerBox(backend, other, `Plant ${n}`);
    boxes.push(box);
    await publish(box, topicFor(other, 'fault'), {
      id: `seed-remote-${n}`,
      ts: now,
      code: REMOTE_CODE,
      severity: 'warning',
      message: 'no answer from PLC',
    });
  }

  const found = await waitFor(
    async () => {
      const [tickets, cases, incidents] = await Promise.all([
        adminCall<{ id: number }[]>(backend, 'GET', `/tickets?serial=${serial}`),
        adminCall<unknown>(backend, 'GET', '/cases'),
        adminCall<unknown>(backend, 'GET', '/incidents'),
      ]);
      const caseList = listOf<{ id: number }>(cases, 'cases');
      const incidentList = listOf<{ id: number }>(incidents, 'incidents');
      const [ticket, firstCase, incident] = [tickets[0], caseList[0], incidentList[0]];
      return ticket && firstCase && incident ? { ticketId: ticket.id, caseId: firstCase.id, incidentId: incident.id } : null;
    },
    { what: 'diagnostics to open the ticket, a case and the fleet incident' },
  );
  const session = await adminCall<{ id: number }>(backend, 'POST', '/sessions', { serial: `${prefix}00002` });
  const platform = await adminCall<{ id: string }>(backend, 'POST', '/platform-tickets', {
    project: 'Wuxi water SCADA',
    reporter: 'Li Wei',
    contact: 'li.wei@example.com',
    description: 'The alarm page shows no data since the upgrade.',
    severity: 'high',
    occurredAt: now - 3_600_000,
  });
  return { serial, ...found, sessionId: session.id, platformTicketId: platform.id, boxes };
}

/** A list answer: the array itself, or the named field of an object answer. */
function listOf<T>(answer: unknown, key: string): T[] {
  if (Array.isArray(answer)) return answer as T[];
  const inner = (answer as Record<string, unknown> | null)?.[key];
  return Array.isArray(inner) ? (inner as T[]) : [];
}
