import { readFileSync } from 'node:fs';
import { createCatalogIndex, parseCatalog, type CatalogIndex } from '../domain/fault-catalog.ts';
import { parseRules, type TriageRules } from '../domain/triage-rules.ts';

// The JSON ships next to this module, so the path holds under tsx, vitest and a copied tree.
function readJson(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./${name}`, import.meta.url), 'utf8'));
}

/** The fault catalog shipped with this build, validated and indexed; throws CATALOG_INVALID. */
export function loadShippedCatalog(): CatalogIndex {
  return createCatalogIndex(parseCatalog(readJson('fault-catalog.json')));
}

/** The triage rules shipped with this build, validated; throws RULES_INVALID. */
export function loadShippedRules(): TriageRules {
  return parseRules(readJson('triage-rules.json'));
}
