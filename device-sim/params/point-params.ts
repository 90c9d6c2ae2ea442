import type { Random } from '../prng.ts';
import { spec } from './param-spec.ts';
import { def, type ParamDef } from './param-table.ts';
import type { PlcSetup } from './plc-params.ts';

export const POINT_TYPES = ['int16', 'uint16', 'float32', 'bool'] as const;
type PointType = (typeof POINT_TYPES)[number];
export const POINT_AREAS = ['holding', 'input', 'coil', 'discrete', 'db', 'io'] as const;
type PointArea = (typeof POINT_AREAS)[number];

interface PointTemplate {
  name: string;
  /** As the plant's technicians type it in the box's web page (often Chinese). */
  desc: string;
  unit: string;
  type: PointType;
  scale: number;
  range: readonly [number, number];
}

const TEMPLATES: readonly PointTemplate[] = [
  { name: 'spindle_speed', desc: '主轴转速', unit: 'rpm', type: 'uint16', scale: 1, range: [0, 12_000] },
  { name: 'motor_current', desc: '电机电流', unit: 'A', type: 'int16', scale: 0.1, range: [0, 80] },
  { name: 'oil_temp', desc: '液压油温', unit: '°C', type: 'int16', scale: 0.1, range: [-10, 90] },
  { name: 'inlet_pressure', desc: '进口压力', unit: 'bar', type: 'float32', scale: 1, range: [0, 16] },
  { name: 'outlet_pressure', desc: '出口压力', unit: 'bar', type: 'float32', scale: 1, range: [0, 16] },
  { name: 'flow_rate', desc: '瞬时流量', unit: 'm³/h', type: 'float32', scale: 1, range: [0, 400] },
  { name: 'total_flow', desc: '累计流量', unit: 'm³', type: 'float32', scale: 1, range: [0, 1e7] },
  { name: 'tank_level', desc: '储罐液位', unit: '%', type: 'uint16', scale: 0.1, range: [0, 100] },
  { name: 'run_state', desc: '运行状态', unit: '', type: 'bool', scale: 1, range: [0, 1] },
  { name: 'fault_state', desc: '故障状态', unit: '', type: 'bool', scale: 1, range: [0, 1] },
  { name: 'alarm_word', desc: '报警字', unit: '', type: 'uint16', scale: 1, range: [0, 65_535] },
  { name: 'energy_total', desc: '累计电能', unit: 'kWh', type: 'float32', scale: 1, range: [0, 1e8] },
  { name: 'active_power', desc: '有功功率', unit: 'kW', type: 'float32', scale: 1, range: [0, 500] },
  { name: 'power_factor', desc: '功率因数', unit: '', type: 'int16', scale: 0.001, range: [0, 1] },
  { name: 'vibration_rms', desc: '振动速度有效值', unit: 'mm/s', type: 'float32', scale: 1, range: [0, 50] },
  { name: 'ph_value', desc: 'pH值', unit: 'pH', type: 'uint16', scale: 0.01, range: [0, 14] },
  { name: 'cod', desc: '化学需氧量', unit: 'mg/L', type: 'float32', scale: 1, range: [0, 1000] },
  { name: 'ammonia', desc: '氨氮', unit: 'mg/L', type: 'float32', scale: 1, range: [0, 100] },
  { name: 'turbidity', desc: '浊度', unit: 'NTU', type: 'float32', scale: 1, range: [0, 4000] },
  { name: 'ambient_temp', desc: '环境温度', unit: '°C', type: 'int16', scale: 0.1, range: [-30, 70] },
  { name: 'humidity', desc: '相对湿度', unit: '%RH', type: 'uint16', scale: 0.1, range: [0, 100] },
  { name: 'output_freq', desc: '变频器输出频率', unit: 'Hz', type: 'uint16', scale: 0.01, range: [0, 400] },
  { name: 'cycle_count', desc: '生产计数', unit: 'pcs', type: 'uint16', scale: 1, range: [0, 65_535] },
  { name: 'door_open', desc: '柜门打开', unit: '', type: 'bool', scale: 1, range: [0, 1] },
  { name: 'valve_position', desc: '阀门开度', unit: '%', type: 'uint16', scale: 0.1, range: [0, 100] },
  { name: 'temp_setpoint', desc: '温度设定值', unit: '°C', type: 'int16', scale: 0.1, range: [0, 300] },
  { name: 'mold_temp', desc: '模具温度', unit: '°C', type: 'int16', scale: 0.1, range: [0, 300] },
  { name: 'compressor_load', desc: '压缩机负载率', unit: '%', type: 'uint16', scale: 0.1, range: [0, 100] },
];

/** Data points per model: the S1 is the small box, the X4 the concentrator for a whole line. */
const POINTS_PER_MODEL: Readonly<Record<string, number>> = { 'MT-BOX-S1': 64, 'MT-BOX-P2': 96, 'MT-BOX-X4': 128 };
const DEFAULT_POINTS = 64;

export function pointCountFor(model: string): number {
  return POINTS_PER_MODEL[model] ?? DEFAULT_POINTS;
}

/** `points.<n>.*` for n = 1…count: what the box reads from the PLC, where, and how it reports it. */
export function pointParams(random: Random, plc: PlcSetup, count: number): ParamDef[] {
  const seen = new Map<string, number>();
  const nextRegister = new Map<string, number>();
  const defs: ParamDef[] = [];
  for (let n = 1; n <= count; n++) {
    const t = random.pick(TEMPLATES);
    const k = (seen.get(t.name) ?? 0) + 1;
    seen.set(t.name, k);
    const station = random.pick(plc.stations);
    const area = areaFor(plc, t.type, random);
    // Registers are allocated in order per station and area; a float32 takes two.
    const slot = `${station}/${area}`;
    const register = nextRegister.get(slot) ?? 0;
    nextRegister.set(slot, register + (t.type === 'float32' ? 2 : 1));
    const span = t.range[1] - t.range[0];
    const p = `points.${n}`;
    defs.push(
      def(`${p}.name`, k === 1 ? t.name : `${t.name}_${k}`, spec.text(32, /^[a-z][a-z0-9_]*$/, 'must be lower_snake_case')),
      def(`${p}.desc`, k === 1 ? t.desc : `${t.desc}${k}#`, spec.text(64)),
      def(`${p}.station`, station, spec.int(1, 247)),
      def(`${p}.area`, area, spec.enumOf(POINT_AREAS)),
      def(`${p}.register`, register, spec.int(0, 65_535)),
      def(`${p}.type`, t.type, spec.enumOf(POINT_TYPES)),
      def(`${p}.scale`, t.scale, spec.number(-1e6, 1e6)),
      def(`${p}.offset`, 0, spec.number(-1e6, 1e6)),
      def(`${p}.unit`, t.unit, spec.text(16)),
      def(`${p}.decimals`, decimalsOf(t.scale), spec.int(0, 6)),
      def(`${p}.pollMs`, random.pick([500, 1000, 1000, 2000, 5000]), spec.int(100, 3_600_000)),
      def(`${p}.deadband`, t.type === 'bool' ? 0 : round(span * 0.005), spec.number(0, 1e9)),
      def(
        `${p}.report`,
        t.type === 'bool' ? 'on-change' : random.pick(['periodic', 'periodic', 'on-change', 'both']),
        spec.enumOf(['periodic', 'on-change', 'both']),
      ),
      def(`${p}.enabled`, random.chance(0.9), spec.bool()),
      def(`${p}.alarmHigh`, t.type === 'bool' ? 1 : round(t.range[0] + span * 0.9), spec.number(-1e9, 1e9)),
      def(`${p}.alarmLow`, t.type === 'bool' ? 0 : round(t.range[0] + span * 0.05), spec.number(-1e9, 1e9)),
    );
  }
  return defs;
}

function areaFor(plc: PlcSetup, type: PointType, random: Random): PointArea {
  if (plc.protocol === 's7') return 'db';
  if (plc.protocol === 'profinet') return 'io';
  if (type === 'bool') return random.chance(0.5) ? 'coil' : 'discrete';
  return random.chance(0.7) ? 'holding' : 'input';
}

function decimalsOf(scale: number): number {
  return scale >= 1 ? 0 : Math.min(6, Math.round(-Math.log10(scale)));
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
