import { describe, expect, it } from 'vitest';
import { EVIDENCE_TYPES } from '../../../contract/payloads.ts';
import { CATEGORIES, REMEDIES } from '../domain/fault-catalog.ts';
import { factWindows } from '../domain/triage-rules.ts';
import { loadShippedCatalog, loadShippedRules } from './load-catalog.ts';

describe('the shipped fault catalog', () => {
  const catalog = loadShippedCatalog();

  it('parses and names its version', () => {
    expect(catalog.version).toBe('2026.11.0');
  });

  it('covers at least thirty MT-BOX fault codes', () => {
    expect(catalog.entries.length).toBeGreaterThanOrEqual(30);
  });

  it('uses every category and every remedy', () => {
    expect(new Set(catalog.entries.map((e) => e.category))).toEqual(new Set(CATEGORIES));
    expect(new Set(catalog.entries.map((e) => e.remedy))).toEqual(new Set(REMEDIES));
  });

  it('maps every evidence type to an entry except power-loss, which is no warranty evidence', () => {
    const mapped = EVIDENCE_TYPES.filter((t) => catalog.byEvidenceType(t) !== null);
    expect(mapped).toEqual(EVIDENCE_TYPES.filter((t) => t !== 'power-loss'));
    expect(catalog.byEvidenceType('surge')?.code).toBe('SURGE_DETECTED');
    expect(catalog.byEvidenceType('tamper')?.code).toBe('ENCLOSURE_OPENED');
  });

  it('knows the fieldbus, cellular, watchdog and flash codes engineers see most', () => {
    for (const code of ['PLC_LINK_DOWN', 'MODBUS_CRC_ERRORS', 'CELL_APN_REJECTED', 'WATCHDOG_RESET_REPEATED', 'FLASH_WRITE_FAILED']) {
      expect(catalog.byCode(code)?.code).toBe(code);
    }
  });

  it('sends hardware faults to RMA and settings faults to remote guidance', () => {
    expect(catalog.byCode('RADIO_MODULE_DEAD')?.remedy).toBe('rma');
    expect(catalog.byCode('ETH_PHY_FAULT')?.remedy).toBe('rma');
    expect(catalog.byCode('RTC_BATTERY_LOW')?.remedy).toBe('rma');
    expect(catalog.byCode('PLC_TIMEOUT')?.remedy).toBe('remote');
    expect(catalog.byCode('CONFIG_CHECKSUM_BAD')?.remedy).toBe('remote');
  });
});

describe('the shipped triage rules', () => {
  it('parse, with the fleet and repeat windows the adapter queries', () => {
    const rules = loadShippedRules();
    expect(rules.fleet).toEqual({ minBoxes: 5, windowMinutes: 60 });
    expect(factWindows(rules)).toEqual({ repeatWindowMs: 24 * 3_600_000, fleetWindowMs: 60 * 60_000 });
  });
});
