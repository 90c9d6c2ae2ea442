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
  /** 1: only a client certificate authenticates the box (migration 0006). */
  require_certificate: Generated<number>;
  organisation_id: number | null;
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
  state: Generated<string>;
  triaged_at: number | null;
  model: string | null;
  firmware: string | null;
}

export interface EventTable {
  id: Generated<number>;
  device_id: number;
  event_id: string;
  ts: number;
  received_at: number;
  type: string;
  details: string | null;
  triaged_at: number | null;
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
  /** Set for `customer` accounts only: the organisation whose data they may see. */
  organisation_id: number | null;
  /** The account's chosen language (kernel/locale.ts); null until they choose. */
  locale: string | null;
  /** The account's chosen IANA time zone; null means China's (Asia/Shanghai). */
  time_zone: string | null;
}

export interface SessionTable {
  token_hash: string;
  user_id: number;
  created_at: number;
  expires_at: number;
}

export interface TriageDecisionTable {
  id: Generated<number>;
  device_id: number;
  source: 'fault' | 'event';
  source_id: number;
  code: string;
  action: string;
  target_kind: string | null;
  target_id: number | null;
  rule_id: string;
  rules_version: string;
  catalog_version: string;
  reason: string;
  /** JSON: the reason's placeholder values; null for decisions stored before it was kept. */
  reason_values: string | null;
  facts: string;
  decided_at: number;
}

export interface RemoteCaseTable {
  id: Generated<number>;
  device_id: number;
  state: string;
  code: string;
  queue: string;
  opened_at: number;
  opened_by: string;
  updated_at: number;
  closed_at: number | null;
  incident_id: number | null;
  data: string;
}

export interface FleetIncidentTable {
  id: Generated<number>;
  code: string;
  model: string;
  firmware: string;
  state: string;
  opened_at: number;
  updated_at: number;
  data: string;
}

export interface IncidentDeviceTable {
  incident_id: number;
  device_id: number;
  first_at: number;
}

/** The ticket's domain object lives in `data`; the other columns are what queries filter on. */
export interface RmaTicketTable {
  id: Generated<number>;
  device_id: number | null;
  serial: string;
  state: string;
  queue: string;
  opened_at: number;
  updated_at: number;
  incident_id: number | null;
  data: string;
}

export interface PlatformTicketTable {
  id: Generated<number>;
  state: string;
  opened_at: number;
  updated_at: number;
  data: string;
  organisation_id: number | null;
}

export interface DeadlineTable {
  id: Generated<number>;
  entity_kind: string;
  entity_id: number;
  kind: string;
  due_at: number;
  fired_at: number | null;
  cancelled_at: number | null;
}

export interface RepairedPartTable {
  id: Generated<number>;
  device_id: number;
  ticket_id: number;
  part: string;
  repaired_on: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  entity_kind: string;
  entity_id: number;
  at: number;
  actor: string;
  action: string;
  from_state: string | null;
  to_state: string | null;
  reason: string;
  data: string | null;
}

/** One remote command: the request, who sent it, and its outcome (status, result or error). */
export interface CommandTable {
  id: string;
  device_id: number;
  name: string;
  args: string;
  requested_by: string;
  session_id: number | null;
  requested_at: number;
  timeout_ms: number;
  deadline: number;
  /** queued | sent | succeeded | failed | timed-out | offline */
  status: string;
  sent_at: number | null;
  completed_at: number | null;
  result: string | null;
  error: string | null;
  /** The node holding the live part (migration 0013); null on a single node. */
  node_id: Generated<string | null>;
}

/** One immutable copy of a box's parameters; `params` is the canonical JSON `hash` covers. */
export interface ParameterSnapshotTable {
  id: Generated<number>;
  device_id: number;
  hash: string;
  size: number;
  param_count: number;
  params: string;
  model: string;
  firmware: string | null;
  /** manual | before-params-set | rma-opened | schedule | before-restore */
  reason: string;
  note: string | null;
  created_by: string;
  created_at: number;
  ticket_id: number | null;
}

/** When a box's parameters were last read and found stored in `snapshot_id`. */
export interface ParameterBackupCheckTable {
  device_id: number;
  checked_at: number;
  snapshot_id: number;
}

/** A remote-guidance session; `last_seq` is the seq of its newest timeline entry. */
export interface RemoteSessionTable {
  id: Generated<number>;
  device_id: number;
  serial: string;
  case_id: number | null;
  queue: string;
  /** queued | active | ended */
  state: string;
  outcome: string | null;
  outcome_reason: string | null;
  requested_at: number;
  requested_by: string;
  started_at: number | null;
  started_by: string | null;
  ended_at: number | null;
  ended_by: string | null;
  ticket_id: number | null;
  last_seq: Generated<number>;
}

/** A one-time customer link; the token is stored only as its sha256. */
export interface RemoteSessionLinkTable {
  id: Generated<number>;
  session_id: number;
  token_hash: string;
  label: string | null;
  created_at: number;
  created_by: string;
  expires_at: number;
  redeemed_at: number | null;
  holder_hash: string | null;
  /** The organisation the link invites: the owner of the session's box when it was created (migration 0010). */
  organisation_id: number | null;
}

export interface RemoteSessionParticipantTable {
  id: Generated<number>;
  session_id: number;
  /** user | customer */
  kind: string;
  user_id: number | null;
  username: string | null;
  role: string | null;
  link_id: number | null;
  label: string | null;
  joined_at: number;
  left_at: number | null;
  /** The node holding the live part (migration 0013); null on a single node. */
  node_id: Generated<string | null>;
}

/** Append-only (triggers refuse UPDATE and DELETE); author and data are JSON. */
export interface RemoteSessionTimelineTable {
  session_id: number;
  seq: number;
  at: number;
  kind: string;
  author: string;
  data: string;
}

/** One PLC tunnel a box opened; `state` is `open` until it closes (`backend-restarted` after a crash). */
export interface TunnelTable {
  id: string;
  session_id: number;
  device_id: number;
  host: string;
  port: number;
  state: string;
  opened_by: string;
  opened_at: number;
  closed_at: number | null;
  close_reason: string | null;
  bytes_up: Generated<number>;
  bytes_down: Generated<number>;
  /** The node holding the live part (migration 0013); null on a single node. */
  node_id: Generated<string | null>;
}

/** A customer: the plant or company that owns boxes. `contacts` is JSON. */
export interface OrganisationTable {
  id: Generated<number>;
  name: string;
  business_line: string | null;
  contacts: string;
  created_at: number;
  updated_at: number;
}

/** A one-time invitation URL's token, stored as its sha256; `accepted_at` once used. */
export interface InvitationTable {
  token_hash: string;
  organisation_id: number;
  username: string;
  created_by: string;
  created_at: number;
  expires_at: number;
  accepted_at: number | null;
  user_id: number | null;
}

/** Something that needs the customer's action; `dedupe_key` makes each reason notify once. */
export interface NotificationTable {
  id: Generated<number>;
  organisation_id: number;
  kind: string;
  subject_kind: string;
  subject_id: number;
  dedupe_key: string;
  data: string;
  created_at: number;
  read_at: number | null;
}

/** An organisation's outgoing webhook; the secret signs deliveries (HMAC) and is shown once. */
export interface WebhookTable {
  organisation_id: number;
  url: string;
  secret: string;
  enabled: Generated<number>;
  created_at: number;
  updated_at: number;
}

/** One notification's delivery to a webhook: `pending` until `delivered` or `failed` for good. */
export interface WebhookDeliveryTable {
  id: Generated<number>;
  notification_id: number;
  organisation_id: number;
  url: string;
  state: string;
  attempts: Generated<number>;
  next_attempt_at: number | null;
  last_attempt_at: number | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: number | null;
  created_at: number;
}

/** The admin's holiday years on PostgreSQL (migration 0014): one row, id 1, the calendar file's JSON. */
export interface CalendarOverrideTable {
  id: number;
  data: string;
  updated_at: number;
  updated_by: string | null;
}

export interface Database {
  devices: DeviceTable;
  telemetry: TelemetryTable;
  faults: FaultTable;
  events: EventTable;
  shadows: ShadowTable;
  users: UserTable;
  sessions: SessionTable;
  triage_decisions: TriageDecisionTable;
  remote_cases: RemoteCaseTable;
  fleet_incidents: FleetIncidentTable;
  incident_devices: IncidentDeviceTable;
  rma_tickets: RmaTicketTable;
  platform_tickets: PlatformTicketTable;
  deadlines: DeadlineTable;
  repaired_parts: RepairedPartTable;
  audit_log: AuditLogTable;
  remote_sessions: RemoteSessionTable;
  remote_session_links: RemoteSessionLinkTable;
  remote_session_participants: RemoteSessionParticipantTable;
  remote_session_timeline: RemoteSessionTimelineTable;
  commands: CommandTable;
  parameter_snapshots: ParameterSnapshotTable;
  parameter_backup_checks: ParameterBackupCheckTable;
  tunnels: TunnelTable;
  organisations: OrganisationTable;
  invitations: InvitationTable;
  notifications: NotificationTable;
  webhooks: WebhookTable;
  webhook_deliveries: WebhookDeliveryTable;
  calendar_override: CalendarOverrideTable;
}
