import type { Clock } from '../../../kernel/clock.ts';
import type { Logger } from '../../../platform/logger.ts';
import type { BoxSecretHasher } from '../../../platform/security/index.ts';
import type { IntakeStore } from '../../intake/index.ts';
import type { ShadowReader } from '../../presence/index.ts';
import type { TelemetryReader } from '../../telemetry/index.ts';
import type { DeviceRegistry } from '../domain/registry-port.ts';

/** What the device, import and device history routes need. */
export interface RegistryRouteDeps {
  clock: Clock;
  logger: Logger;
  registry: DeviceRegistry;
  /** Hashes the secrets the routes issue. */
  boxSecrets: BoxSecretHasher;
  shadows: ShadowReader;
  telemetry: TelemetryReader;
  intake: Pick<IntakeStore, 'listFaults' | 'listEvents'>;
  /**
   * Called after a box was disabled or its secret replaced: its current MQTT connection
   * must end, since the broker only checks credentials at CONNECT.
   */
  onDeviceDisabled?: (serial: string) => void;
}
