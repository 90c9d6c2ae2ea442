/*
 * The registry's public face. Other capabilities' routes address a box by its serial
 * (SerialParams) and answer DEVICE_NOT_FOUND for an unknown one (requireDevice).
 */
export { requireDevice } from './api/device-lookup.ts';
export { SerialParams } from './api/device-schemas.ts';
export * from './domain/device.ts';
export * from './domain/registry-port.ts';
