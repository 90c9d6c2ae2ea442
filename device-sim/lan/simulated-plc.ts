import { ServerTCP } from 'modbus-serial';
import type { CoreMetrics } from '../telemetry-model.ts';
import type { LanEndpoint } from '../tunnel/box-tunnel.ts';
import { freeLoopbackPort } from './free-port.ts';

/** Holding registers 0–999; reading or writing past them is Modbus exception 2 (illegal data address). */
export const PLC_REGISTER_COUNT = 1000;

/**
 * Holding registers 0–7 follow the box's telemetry (docs: device-sim/README.md). Values are
 * unsigned 16-bit, scaled so the usual ranges fit.
 */
export const TELEMETRY_REGISTERS = {
  boardTempX10: 0,
  rssiPlus200: 1,
  supplyVoltageX100: 2,
  cpuLoadX10: 3,
  memUsedX10: 4,
  plcLink: 5,
  uptimeHigh: 6,
  uptimeLow: 7,
} as const;

const u16 = (value: number): number => Math.round(value) & 0xffff;

/** The register values of one telemetry sample, indexed as TELEMETRY_REGISTERS says. */
export function telemetryRegisters(m: CoreMetrics): number[] {
  const uptime = Math.max(0, Math.floor(m.uptime)) % 2 ** 32;
  return [
    u16(m.board_temp * 10),
    u16(m.rssi + 200),
    u16(m.supply_voltage * 100),
    u16(m.cpu_load * 10),
    u16(m.mem_used * 10),
    m.plc_link ? 1 : 0,
    Math.floor(uptime / 65_536),
    uptime % 65_536,
  ];
}

class IllegalAddress extends Error {
  readonly modbusErrorCode = 0x02;
}

/**
 * The PLC on a simulated box's LAN: a Modbus TCP server (modbus-serial's ServerTCP) on a free
 * loopback port. Registers 8–999 keep what is written; 0–7 take writes too, until the next
 * telemetry sample overwrites them (as a PLC program copying its inputs would).
 */
export class SimulatedPlc {
  readonly registers = new Array<number>(PLC_REGISTER_COUNT).fill(0);
  /** Write requests served (function codes 6 and 16). */
  writes = 0;

  private constructor(
    private readonly server: ServerTCP,
    readonly endpoint: LanEndpoint,
  ) {}

  static async start(initial?: CoreMetrics): Promise<SimulatedPlc> {
    // ServerTCP treats port 0 as "the default 502", so it gets a port that is free right now.
    for (let attempt = 1; ; attempt++) {
      const port = await freeLoopbackPort();
      const plc = { current: undefined as SimulatedPlc | undefined };
      const server = new ServerTCP(
        vectorOf(() => plc.current),
        { host: '127.0.0.1', port, unitID: 255 },
      );
      // A failed answer is an 'error' event; without a listener it would crash the process.
      server.on('error', () => {});
      server.on('socketError', () => {});
      const started = await new Promise<boolean>((resolve) => {
        server.on('initialized', () => resolve(true));
        server.on('serverError', () => resolve(false));
      });
      if (started) {
        plc.current = new SimulatedPlc(server, { host: '127.0.0.1', port });
        if (initial) plc.current.follow(initial);
        return plc.current;
      }
      if (attempt >= 5) throw new Error('the simulated PLC found no free loopback port');
    }
  }

  /** Copies a telemetry sample into holding registers 0–7. */
  follow(metrics: CoreMetrics): void {
    telemetryRegisters(metrics).forEach((value, i) => {
      this.registers[i] = value;
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function vectorOf(plc: () => SimulatedPlc | undefined) {
  const at = (addr: number): SimulatedPlc => {
    const current = plc();
    if (!current || addr < 0 || addr >= PLC_REGISTER_COUNT) throw new IllegalAddress(`no holding register ${addr}`);
    return current;
  };
  return {
    getHoldingRegister: (addr: number, _unit: number): number => at(addr).registers[addr] as number,
    getInputRegister: (addr: number, _unit: number): number => at(addr).registers[addr] as number,
    setRegister: (addr: number, value: number, _unit: number): void => {
      const current = at(addr);
      current.registers[addr] = value & 0xffff;
      current.writes++;
    },
  };
}
