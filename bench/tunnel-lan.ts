import type { LanEndpoint } from '../device-sim/tunnel/box-tunnel.ts';

/** What bench/tunnel.ts and its box process (bench/tunnel-box.ts) share: the box's LAN and its answers. */

export const PLC = { host: '192.168.1.10', port: 502 };
export const ECHO = { host: '192.168.1.20', port: 7 };

export interface BoxStarted {
  /** The loopback endpoints standing for the LAN devices: the direct path of the comparison. */
  plc: LanEndpoint;
  echo: LanEndpoint;
}

export interface BoxTunnelCounters {
  target: string;
  closeReason: string | undefined;
  bytesUp: number;
  bytesDown: number;
  maxInFlight: number;
  maxPlcBuffered: number;
}
