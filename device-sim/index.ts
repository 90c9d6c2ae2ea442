/** The simulator as a library: what test/ and bench/ import. */
export { SimBox, SimBoxError, type SimBoxOptions, type BoxCounters, type BoxState, type FaultInput } from './box.ts';
export { Fleet, startFleet, type FleetOptions, type FleetBoxOptions } from './fleet.ts';
export { formatStats, type FleetStats } from './fleet-stats.ts';
export { CommandFaults } from './command-faults.ts';
export { chunkResult, reassemble, sha256Hex, sliceUtf8, type Reassembled } from './command-chunks.ts';
export { factoryParams, PARAM_GROUPS, type BoxIdentity } from './params/default-params.ts';
export { SECRET_MASK, type ParamSpec } from './params/param-spec.ts';
export { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.ts';
export { createRandom, type Random } from './prng.ts';
export { systemTimers, type Timers } from './timers.ts';
export {
  BoxCredentials,
  loadCredentialsFile,
  loadOrProvision,
  parseCredentialsCsv,
  formatCredentialsCsv,
  readCredentialsFile,
  writeCredentialsFile,
} from './credentials.ts';
export { provisionDevices, ProvisionError } from './provision-client.ts';
export { demoDevice, serialFor, DEFAULT_SERIAL_PREFIX } from './demo-fleet.ts';
export { SCENARIO_NAMES, buildScenarios, type Scenario, type ScenarioContext } from './scenarios/index.ts';
export { plcLinkFlap, PLC_LINK_DOWN } from './scenarios/plc-link-flap.ts';
export { faultAt, type FaultAtSpec } from './scenarios/fault-at.ts';
export { badPayloads, badPayload, BAD_PAYLOAD_KINDS } from './scenarios/bad-payloads.ts';
export { reconnectStorm } from './scenarios/reconnect-storm.ts';
export { evidence } from './scenarios/evidence.ts';
