import { isoDate } from '../services/kernel/clock.ts';
import { isSerial } from '../services/contract/topics.ts';
import { CSV_COLUMNS, type CsvColumn } from '../services/edge/registry/domain/csv-import.ts';
import type { BusinessLine } from '../services/kernel/business-line.ts';
import { createRandom, deriveSeed, type Random } from './prng.ts';

/** Serials are `MTB` + production YYMM + a 6-digit counter, e.g. MTB2611000001. */
export const DEFAULT_SERIAL_PREFIX = 'MTB2611';
export const SERIAL_PREFIX_PATTERN = /^MTB\d{4}$/;

export function serialFor(prefix: string, n: number): string {
  const serial = `${prefix}${String(n).padStart(6, '0')}`;
  if (!isSerial(serial) || n < 1 || n > 999_999) throw new RangeError(`no serial ${prefix} #${n}`);
  return serial;
}

export const DEMO_MODELS = ['MT-BOX-S1', 'MT-BOX-P2', 'MT-BOX-X4'] as const;
export const DEMO_FIRMWARE = '3.2.1';

/** The model a demo box is registered with and reports; a function of the serial alone. */
export function demoModelFor(serial: string): string {
  return DEMO_MODELS[deriveSeed(0, serial) % DEMO_MODELS.length] as string;
}

interface DemoCustomer {
  name: string;
  contacts: string;
  phone: string;
  address: string;
  businessLine: BusinessLine;
}

// Fictional customers, three per business line, so dashboards have something to group by.
const CUSTOMERS: readonly DemoCustomer[] = [
  {
    name: 'Hengtai Precision Machining Co.',
    contacts: 'Li Wei',
    phone: '+86 512 6801 2231',
    address: '18 Xinghu Rd, Suzhou Industrial Park',
    businessLine: 'smart-factory',
  },
  {
    name: 'Delta Injection Molding Ltd.',
    contacts: 'Anna Keller',
    phone: '+49 711 448 20 19',
    address: 'Industriestr. 7, 70565 Stuttgart',
    businessLine: 'smart-factory',
  },
  {
    name: 'Northstar Auto Parts',
    contacts: 'Zhang Min',
    phone: '+86 22 2530 7788',
    address: '66 Binhai Ave, Tianjin',
    businessLine: 'smart-factory',
  },
  {
    name: 'Riverside District Utilities',
    contacts: 'Chen Jing',
    phone: '+86 571 8712 4410',
    address: '3 Jiangnan Blvd, Hangzhou',
    businessLine: 'smart-city',
  },
  {
    name: 'Metro Lighting Services',
    contacts: 'Tom Hughes',
    phone: '+44 161 555 0142',
    address: '40 Mill Lane, Manchester',
    businessLine: 'smart-city',
  },
  { name: 'Eastport Water Authority', contacts: 'Wang Fang', phone: '+86 532 8890 1203', address: '9 Haier Rd, Qingdao', businessLine: 'smart-city' },
  {
    name: 'GreenBasin Wastewater Co.',
    contacts: 'Liu Yang',
    phone: '+86 27 8766 3021',
    address: '120 Donghu Rd, Wuhan',
    businessLine: 'smart-environmental-protection',
  },
  {
    name: 'ClearAir Monitoring Network',
    contacts: 'Sara Rossi',
    phone: '+39 02 8734 5512',
    address: 'Via Larga 12, Milano',
    businessLine: 'smart-environmental-protection',
  },
  {
    name: 'Lakeside Recycling Park',
    contacts: 'Zhou Lei',
    phone: '+86 25 5266 7340',
    address: '88 Xuanwu Lake Rd, Nanjing',
    businessLine: 'smart-environmental-protection',
  },
  {
    name: 'Swiftlane Cold Chain',
    contacts: 'Huang Tao',
    phone: '+86 755 2690 4418',
    address: '5 Qianhai Rd, Shenzhen',
    businessLine: 'smart-logistics',
  },
  {
    name: 'Harborgate Container Terminal',
    contacts: 'Pieter de Vries',
    phone: '+31 10 252 1187',
    address: 'Maasvlakte 2, Rotterdam',
    businessLine: 'smart-logistics',
  },
  {
    name: 'Pinecrest Warehousing',
    contacts: 'Xu Hui',
    phone: '+86 28 8541 0095',
    address: '210 Tianfu Ave, Chengdu',
    businessLine: 'smart-logistics',
  },
];

/** Columns of the backend's device import CSV (POST /api/devices/import), in order. */
export const DEVICE_IMPORT_COLUMNS = CSV_COLUMNS;
/** One import row; '' is an empty cell (absent). */
export type DemoDevice = Record<CsvColumn, string>;

const DAY_MS = 86_400_000;

/**
 * A registry row for a demo box: a customer chosen by serial, and dates such that about
 * half the boxes are in warranty, a third have expired, some have only a sale date (warranty
 * counted from it until after-sales records the receipt) and the rest no date at all
 * (warranty "unknown").
 */
export function demoDevice(serial: string, today: number, seed: number): DemoDevice {
  const random: Random = createRandom(deriveSeed(seed, serial));
  const customer = random.pick(CUSTOMERS);
  const bucket = random.next();
  const receiptDaysAgo = bucket < 0.5 ? random.int(10, 330) : bucket < 0.8 ? random.int(380, 900) : undefined;
  const saleKnown = bucket < 0.9;
  const receipt = today - (receiptDaysAgo ?? random.int(5, 60)) * DAY_MS;
  const sale = receipt - random.int(3, 30) * DAY_MS;
  const production = sale - random.int(14, 120) * DAY_MS;
  return {
    serial,
    model: demoModelFor(serial),
    firmware: DEMO_FIRMWARE,
    productionDate: isoDate(production),
    saleDate: saleKnown ? isoDate(sale) : '',
    receiptDate: receiptDaysAgo === undefined ? '' : isoDate(receipt),
    customerName: customer.name,
    customerContacts: customer.contacts,
    customerPhone: customer.phone,
    customerAddress: customer.address,
    businessLine: customer.businessLine,
  };
}

export function demoDeviceRow(device: DemoDevice): string[] {
  return DEVICE_IMPORT_COLUMNS.map((column) => device[column]);
}
