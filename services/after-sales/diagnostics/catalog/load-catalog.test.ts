import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../../kernel/locale.ts';
import { EVIDENCE_TYPES } from '../../../contract/payloads.ts';
import { CATEGORIES, REMEDIES } from '../domain/fault-catalog.ts';
import { factWindows } from '../domain/triage-rules.ts';
import { loadShippedCatalog, loadShippedRules } from './load-catalog.ts';

describe('the shipped fault catalog', () => {
  const catalog = loadShippedCatalog();

  it('parses and names its version', () => {
    expect(catalog.version).toBe('2026.12.0');
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

// Read as raw JSON rather than through the loader, so a gap is named by code and field
// (CELL_NO_SIM steps.2 zh-CN) instead of stopping at the loader's first refusal.
describe('the shipped fault catalog in both languages', () => {
  const raw = JSON.parse(readFileSync(new URL('./fault-catalog.json', import.meta.url), 'utf8')) as {
    entries: { code: string; title: unknown; steps: unknown[] }[];
  };
  const CJK = /[\u4e00-\u9fff]/;

  it('every catalog entry has both languages', () => {
    const missing: string[] = [];
    for (const entry of raw.entries) {
      const texts: [string, unknown][] = [['title', entry.title], ...entry.steps.map((s, i) => [`steps.${i}`, s] as [string, unknown])];
      for (const [field, text] of texts) {
        for (const locale of LOCALES) {
          const value = (text as Record<string, unknown> | null)?.[locale];
          if (typeof value !== 'string' || value.trim() === '') missing.push(`${entry.code} ${field} ${locale}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('writes the Chinese in Chinese and keeps the codes and parameter names as written', () => {
    const catalog = loadShippedCatalog();
    const english = new Map(catalog.entries.map((e) => [e.code, e]));
    const wrong: string[] = [];
    for (const entry of catalog.entriesIn('zh-CN')) {
      if (!CJK.test(entry.title)) wrong.push(`${entry.code} title is not Chinese`);
      entry.steps.forEach((step, i) => {
        if (!CJK.test(step)) wrong.push(`${entry.code} steps.${i} is not Chinese`);
        // Parameter names, commands and codes (cell.apn, sys.hwinfo, FLASH_WRITE_FAILED) are typed by engineers as written.
        const names = english.get(entry.code)?.steps[i]?.match(/\b[a-z]{2,}\.[a-z_]{2,}\b|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g) ?? [];
        for (const name of names) if (!step.includes(name)) wrong.push(`${entry.code} steps.${i} lacks ${name}`);
      });
    }
    expect(wrong).toEqual([]);
  });

  it('serves a known entry in Chinese', () => {
    expect(
      loadShippedCatalog()
        .entriesIn('zh-CN')
        .find((e) => e.code === 'WATCHDOG_RESET')?.title,
    ).toBe('网关被看门狗复位重启');
  });
});

describe('the shipped triage rules', () => {
  it('parse, with the fleet and repeat windows the adapter queries', () => {
    const rules = loadShippedRules();
    expect(rules.fleet).toEqual({ minBoxes: 5, windowMinutes: 60 });
    expect(factWindows(rules)).toEqual({ repeatWindowMs: 24 * 3_600_000, fleetWindowMs: 60 * 60_000 });
  });
});
