import { AppError } from '../../../kernel/app-error.ts';
import type { Device } from '../domain/device.ts';
import type { DeviceRegistry } from '../domain/registry-port.ts';

/** The registered box with this serial, or a DEVICE_NOT_FOUND error. */
export async function requireDevice(registry: DeviceRegistry, serial: string): Promise<Device> {
  const device = await registry.findBySerial(serial);
  if (!device) throw new AppError('DEVICE_NOT_FOUND', { serial });
  return device;
}
