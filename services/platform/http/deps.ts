import type { UserStore, SessionStore } from '../accounts/index.ts';
import type { FailureThrottle } from '../security/index.ts';
import type { COSTLY_LIMITS, CostlyLimiter } from './costly-limits.ts';
import type { CalendarService } from '../../after-sales/calendar/index.ts';
import type { SessionUser } from '../accounts/index.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { CommandPort } from '../../edge/commands/index.ts';
import type { CaseService } from '../../after-sales/diagnostics/index.ts';
import type { CatalogIndex } from '../../after-sales/diagnostics/index.ts';
import type { TriageRules } from '../../after-sales/diagnostics/index.ts';
import type { ParamBackupService } from '../../remote-support/params/index.ts';
import type { PlatformService } from '../../after-sales/platform-tickets/index.ts';
import type { SessionLifecycle } from '../../remote-support/sessions/index.ts';
import type { RmaService } from '../../after-sales/rma/index.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/index.ts';
import type { IntakeStore } from '../../edge/intake/index.ts';
import type { Logger } from '../logger.ts';
import type { ShadowReader } from '../../edge/presence/index.ts';
import type { DeviceRegistry } from '../../edge/registry/index.ts';
import type { TelemetryReader } from '../../edge/telemetry/index.ts';

/** Diagnostics and after-sales services the API routes call. */
export interface AfterSalesDeps {
  catalog: CatalogIndex;
  rules: TriageRules;
  calendar: CalendarService;
  cases: CaseService;
  rma: RmaService;
  platform: PlatformService;
  sessions: SessionLifecycle;
  params: ParamBackupService;
}

/** Remote access to boxes: commands, and who may send them. */
export interface RemoteDeps {
  commands: CommandPort;
  /**
   * Whether this account may command this box now: false, true (admin), or the id of the
   * open remote-guidance session the command belongs to.
   */
  commandAccess(user: SessionUser, serial: string): Promise<boolean | number>;
}

/** What the composition root hands the HTTP API. */
export interface HttpDeps {
  config: Config;
  logger: Logger;
  clock: Clock;
  db: Db;
  registry: DeviceRegistry;
  shadows: ShadowReader;
  telemetry: TelemetryReader;
  intake: Pick<IntakeStore, 'listFaults' | 'listEvents'>;
  afterSales: AfterSalesDeps;
  remote: RemoteDeps;
  /** Merged into GET /api/health, e.g. broker connections and queue depths. */
  health: () => Record<string, unknown>;
  /**
   * Called after a box was disabled or its secret replaced: its current MQTT connection
   * must end, since the broker only checks credentials at CONNECT.
   */
  onDeviceDisabled?: (serial: string) => void;
  /** Budgets of the routes marked `costly`; defaults to COSTLY_LIMITS. */
  costlyLimits?: typeof COSTLY_LIMITS;
  /**
   * Called after sessions of an account were ended (account disabled, password changed or
   * reset): its live socket.io connections must re-check their session now, not at their
   * next event.
   */
  onSessionsRevoked?: (userId: number) => void;
}

/** Built once per app from HttpDeps: stores and state that live as long as the app. */
export interface HttpServices {
  users: UserStore;
  sessions: SessionStore;
  loginThrottle: FailureThrottle;
  /** Shared by every route marked `costly`. */
  costly: CostlyLimiter;
  /** The document served at GET /api/openapi.json, built once from the route table. */
  openApiDocument: Record<string, unknown>;
}
