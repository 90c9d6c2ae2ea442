import { t } from '../i18n.js';

/** @typedef {import('../../services/kernel/business-line.ts').BusinessLine} BusinessLine */

/** Each business line's message; typed against the kernel's list, so a new line needs its words. @type {Record<BusinessLine, import('../i18n.js').MessageKey>} */
const BUSINESS_LINE_KEYS = {
  'smart-factory': 'fleet.businessLine.smart-factory',
  'smart-city': 'fleet.businessLine.smart-city',
  'smart-environmental-protection': 'fleet.businessLine.smart-environmental-protection',
  'smart-logistics': 'fleet.businessLine.smart-logistics',
};

/**
 * A business line in words; none is a dash, a line newer than this page as the registry wrote it.
 * @param {string | null | undefined} line
 */
export function businessLineWords(line) {
  if (!line) return '—';
  return Object.hasOwn(BUSINESS_LINE_KEYS, line) ? t(BUSINESS_LINE_KEYS[/** @type {BusinessLine} */ (line)]) : line;
}

/** The choices of a business-line picker, in the page's language of the moment: a dash for none first. */
export function businessLineOptions() {
  return [{ value: '', label: '—' }, ...Object.entries(BUSINESS_LINE_KEYS).map(([value, key]) => ({ value, label: t(key) }))];
}
