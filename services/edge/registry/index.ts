/*
 * The registry's public face. Other capabilities' routes address a box by its serial
 * (SerialParams) and answer DEVICE_NOT_FOUND for an unknown one (requireDevice).
 */
export { requireDevice } from './api/device-lookup.ts';
export { SerialParams } from './api/device-schemas.ts';
export * from './domain/device.ts';
export * from './domain/registry-port.ts';
// A box secret is issued and stored the same way wherever it is rotated (the API, the admin CLI).
export { issueSecret, type IssuedSecret } from './api/device-secrets.ts';
export { createDeviceRegistry } from './store/device-store.ts';
