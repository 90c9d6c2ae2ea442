import type { Random } from '../prng.ts';
import { spec } from './param-spec.ts';
import { def, type ParamDef } from './param-table.ts';

export const PLC_PROTOCOLS = ['modbus-rtu', 'modbus-tcp', 'profinet', 's7'] as const;
export type PlcProtocol = (typeof PLC_PROTOCOLS)[number];
export const BAUD_RATES = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;

/** What the point generator needs to know about the PLC link. */
export interface PlcSetup {
  protocol: PlcProtocol;
  stations: number[];
}

/** `plc.*`: the field bus to the PLC, serial line settings, and the stations polled on it. */
export function plcParams(random: Random): { defs: ParamDef[]; setup: PlcSetup } {
  // Most MT-BOXes sit on an RS-485 line to Modbus RTU slaves; the rest talk to Ethernet PLCs.
  const roll = random.next();
  const protocol: PlcProtocol = roll < 0.6 ? 'modbus-rtu' : roll < 0.8 ? 'modbus-tcp' : roll < 0.9 ? 's7' : 'profinet';
  const serialLine = protocol === 'modbus-rtu';
  const stations = serialLine ? pickStations(random, random.int(1, 6)) : [1];
  const plcIp = `192.168.${random.int(0, 20)}.${random.int(2, 30)}`;
  const defs: ParamDef[] = [
    def('plc.protocol', protocol, spec.enumOf(PLC_PROTOCOLS)),
    def('plc.port', serialLine ? random.pick(['RS485-1', 'RS485-1', 'RS485-2']) : 'ETH1', spec.enumOf(['RS485-1', 'RS485-2', 'RS232', 'ETH1'])),
    def('plc.baud', serialLine ? random.pick([9600, 9600, 19200, 38400, 115200]) : 9600, spec.enumOf(BAUD_RATES)),
    def('plc.parity', serialLine ? random.pick(['none', 'none', 'even']) : 'none', spec.enumOf(['none', 'even', 'odd'])),
    def('plc.dataBits', 8, spec.enumOf([7, 8])),
    def('plc.stopBits', 1, spec.enumOf([1, 2])),
    def('plc.timeoutMs', random.pick([300, 500, 500, 1000]), spec.int(50, 10_000)),
    def('plc.retries', 3, spec.int(0, 10)),
    // Modbus RTU needs 3.5 character times of silence between frames; slow slaves want more.
    def('plc.interFrameDelayMs', serialLine ? random.pick([5, 10, 20]) : 0, spec.int(0, 1000)),
    def('plc.stationAddresses', stations.join(','), spec.stations(32)),
    def('plc.pollIntervalMs', random.pick([500, 1000, 1000, 2000]), spec.int(100, 3_600_000)),
    def('plc.tcpHost', protocol === 'modbus-tcp' ? plcIp : '0.0.0.0', spec.ipv4()),
    def('plc.tcpPort', protocol === 's7' ? 102 : 502, spec.int(1, 65_535)),
    def('plc.s7Rack', 0, spec.int(0, 7)),
    def('plc.s7Slot', random.pick([1, 2]), spec.int(0, 31)),
    def('plc.s7Host', protocol === 's7' ? plcIp : '0.0.0.0', spec.ipv4()),
    def(
      'plc.profinetStationName',
      protocol === 'profinet' ? `plc-line${random.int(1, 9)}` : '',
      spec.text(63, /^$|^[a-z][a-z0-9-]*$/, 'must be a PROFINET station name: lower-case letters, digits, dashes'),
    ),
    // Word order of 32-bit values: vendors disagree, so the box lets the site choose.
    def('plc.byteOrder', random.pick(['ABCD', 'ABCD', 'CDAB', 'BADC', 'DCBA']), spec.enumOf(['ABCD', 'CDAB', 'BADC', 'DCBA'])),
    def('plc.zeroBasedAddressing', random.chance(0.7), spec.bool()),
    // 125 registers is the Modbus limit for one Read Holding Registers request.
    def('plc.maxRegistersPerRead', 64, spec.int(1, 125)),
    def('plc.linkDownAfterFailures', 3, spec.int(1, 100)),
  ];
  return { defs, setup: { protocol, stations } };
}

function pickStations(random: Random, count: number): number[] {
  const picked = new Set<number>();
  while (picked.size < count) picked.add(random.int(1, 32));
  return [...picked].sort((a, b) => a - b);
}
