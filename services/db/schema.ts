import type { Generated } from 'kysely';

/** Table shapes as Kysely sees them. Dates are `YYYY-MM-DD` text; instants are epoch ms. */
export interface DeviceTable {
  id: Generated<number>;
  serial: string;
  model: string;
  firmware: string | null;
  production_date: string | null;
  sale_date: string | null;
  receipt_date: string | null;
  customer_name: string | null;
  customer_contacts: string | null;
  customer_phone: string | null;
  customer_address: string | null;
  business_line: string | null;
  enabled: number;
  secret_hash: string;
  created_at: number;
}

/** One row per telemetry message, metrics packed as JSON: see BENCHMARKS.md for why. */
export interface TelemetryTable {
  device_id: number;
  ts: number;
  received_at: number;
  seq: number;
  metrics: string;
}

export interface FaultTable {
  id: Generated<number>;
  device_id: number;
  fault_id: string;
  ts: number;
  received_at: number;
  code: string;
  severity: string;
  message: string | null;
  context: string | null;
}

export interface EventTable {
  id: Generated<number>;
  device_id: number;
  event_id: string;
  ts: number;
  received_at: number;
  type: string;
  details: string | null;
}

/** The device shadow: presence plus the latest value of each metric. */
export interface ShadowTable {
  device_id: number;
  online: number;
  last_seen: number | null;
  connected_at: number | null;
  disconnected_at: number | null;
  address: string | null;
  reported_fw: string | null;
  reported_model: string | null;
  metrics: string;
  metrics_ts: number | null;
  metrics_received_at: number | null;
  rejected: string;
}

export interface UserTable {
  id: Generated<number>;
  username: string;
  password_hash: string;
  role: string;
  enabled: number;
  created_at: number;
}

export interface SessionTable {
  token_hash: string;
  user_id: number;
  created_at: number;
  expires_at: number;
}

export interface Database {
  devices: DeviceTable;
  telemetry: TelemetryTable;
  faults: FaultTable;
  events: EventTable;
  shadows: ShadowTable;
  users: UserTable;
  sessions: SessionTable;
}
