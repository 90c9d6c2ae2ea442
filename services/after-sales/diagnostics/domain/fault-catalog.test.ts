import { describe, expect, it } from 'vitest';
import { DiagnosticsDataError } from './errors.ts';
import { createCatalogIndex, parseCatalog } from './fault-catalog.ts';

const remote = {
  code: 'PLC_TIMEOUT',
  title: { en: 'PLC answers too slowly', 'zh-CN': 'PLC 响应过慢' },
  category: 'fieldbus',
  severity: 'warning',
  remedy: 'remote',
  steps: [{ en: 'Read params group plc: raise plc.timeout_ms', 'zh-CN': '读取 plc 参数组：调大 plc.timeout_ms' }],
};
const surge = {
  code: 'SURGE_DETECTED',
  title: { en: 'Surge', 'zh-CN': '浪涌' },
  category: 'power',
  severity: 'critical',
  remedy: 'evidence',
  evidenceType: 'surge',
  steps: [{ en: 'Record the port', 'zh-CN': '记录端口' }],
};

function problemsOf(json: unknown): readonly string[] {
  try {
    parseCatalog(json);
  } catch (err) {
    if (err instanceof DiagnosticsDataError) return err.problems;
    throw err;
  }
  throw new Error('expected the catalog to be refused');
}

describe('fault catalog validation', () => {
  it('accepts a versioned list of entries', () => {
    expect(parseCatalog({ version: '2026.11.0', entries: [remote, surge] }).entries).toHaveLength(2);
  });

  it('refuses a code twice, naming the code', () => {
    expect(problemsOf({ version: '2026.11.0', entries: [remote, remote] })).toEqual(['entries.1.code: duplicate code PLC_TIMEOUT']);
  });

  it('refuses codes the contract would not accept from a box', () => {
    const problems = problemsOf({ version: '2026.11.0', entries: [{ ...remote, code: 'plc timeout' }] });
    expect(problems).toEqual(['entries.0.code: fault codes are upper-case, e.g. PLC_LINK_DOWN']);
  });

  it('needs an evidence type on evidence entries and refuses one elsewhere', () => {
    const { evidenceType: _, ...untyped } = surge;
    expect(problemsOf({ version: '2026.11.0', entries: [untyped] })).toEqual([
      'entries.0.evidenceType: SURGE_DETECTED: evidence entries name the evidenceType they stand for',
    ]);
    expect(problemsOf({ version: '2026.11.0', entries: [{ ...remote, evidenceType: 'surge' }] })).toEqual([
      'entries.0.evidenceType: PLC_TIMEOUT: only evidence entries have an evidenceType',
    ]);
  });

  it('maps each evidence type to one entry at most', () => {
    const problems = problemsOf({ version: '2026.11.0', entries: [surge, { ...surge, code: 'SURGE_ON_RS485' }] });
    expect(problems).toEqual(['entries.1.evidenceType: evidenceType surge is already mapped to SURGE_DETECTED']);
  });

  it('refuses an entry whose title or a step lacks a language, naming the field', () => {
    const problems = problemsOf({
      version: '2026.12.0',
      entries: [{ ...remote, title: { en: 'PLC answers too slowly' }, steps: [...remote.steps, { en: 'Raise plc.poll_ms', 'zh-CN': ' ' }] }],
    });
    expect(problems).toEqual(['entries.0.title.zh-CN: Invalid input: expected string, received undefined', 'entries.0.steps.1.zh-CN: no zh-CN text']);
  });

  it('refuses a language it does not offer', () => {
    const problems = problemsOf({ version: '2026.12.0', entries: [{ ...remote, title: { ...remote.title, fr: 'Le PLC répond trop lentement' } }] });
    expect(problems).toEqual(['entries.0.title: Unrecognized key: "fr"']);
  });

  it('throws one error that lists every problem under CATALOG_INVALID', () => {
    const parse = () => parseCatalog({ version: 'latest', entries: [{ ...remote, steps: [] }] });
    expect(parse).toThrow(DiagnosticsDataError);
    expect(parse).toThrow(/fault catalog is invalid:\n {2}- version: versions are YYYY.M.PATCH/);
    try {
      parse();
    } catch (err) {
      expect((err as DiagnosticsDataError).code).toBe('CATALOG_INVALID');
      expect((err as DiagnosticsDataError).problems).toHaveLength(2);
    }
  });
});

describe('catalog index', () => {
  const index = createCatalogIndex(parseCatalog({ version: '2026.11.0', entries: [remote, surge] }));

  it('looks entries up by code and by evidence type', () => {
    expect(index.byCode('PLC_TIMEOUT')?.title).toBe('PLC answers too slowly');
    expect(index.byCode('PLC_TIMEOUT')?.steps).toEqual(['Read params group plc: raise plc.timeout_ms']);
    expect(index.byEvidenceType('surge')?.code).toBe('SURGE_DETECTED');
  });

  it('serves the entries in either language, the same codes in the same order', () => {
    expect(index.entriesIn('zh-CN').map((e) => [e.code, e.title, e.steps])).toEqual([
      ['PLC_TIMEOUT', 'PLC 响应过慢', ['读取 plc 参数组：调大 plc.timeout_ms']],
      ['SURGE_DETECTED', '浪涌', ['记录端口']],
    ]);
    expect(index.entriesIn('en')).toEqual(index.entries);
  });

  it('answers null for codes and evidence types it does not know', () => {
    expect(index.byCode('FAN_STALL')).toBeNull();
    expect(index.byEvidenceType('water')).toBeNull();
  });
});
