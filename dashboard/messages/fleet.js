/*
 * The fleet list, registering boxes, the device page (facts, history, faults, telemetry chart), the fault catalog and the live feed. Keys: `fleet.*`.
 */
export const FLEET = /** @satisfies {import('./types.js').Messages} */ ({});
