import { badge, data, h, tNodes } from '../dom.js';
import { formatCalendarDate, t } from '../i18n.js';

/** @typedef {import('../api.js').WarrantyAnswer} WarrantyAnswer */

/** @type {Record<WarrantyAnswer['basis'], import('../i18n.js').MessageKey>} */
const BASIS_WORDS = { 'receipt-date': 'rma.basis.receipt-date', 'sale-date': 'rma.basis.sale-date', unknown: 'rma.basis.unknown' };

/** @param {WarrantyAnswer} w */
function verdict(w) {
  if (w.inWarranty === null) return badge(t('rma.card.undecided'), 'warn');
  return w.inWarranty
    ? badge(t('rma.warranty.inUntil', { end: formatCalendarDate(w.end) }), 'ok')
    : badge(t('rma.card.expired', { end: formatCalendarDate(w.end) }), 'bad');
}

/**
 * The box's warranty today with the reasons the backend gives, and each repaired part's own cover.
 * @param {WarrantyAnswer} w
 */
export function warrantyCard(w) {
  return [
    h('p', { id: 'warranty-verdict' }, verdict(w)),
    h(
      'p',
      { class: 'muted' },
      t('rma.card.countedFrom', { basis: BASIS_WORDS[w.basis] ? t(BASIS_WORDS[w.basis]) : w.basis }),
      w.start ? t('rma.card.countedFromStart', { start: formatCalendarDate(w.start) }) : null,
    ),
    h(
      'ul',
      // The reasons are the server's sentences (in the request's language once it has them).
      { class: 'reasons server-words' },
      w.reasons.map((r) => h('li', {}, r)),
    ),
    w.partWarranties.length === 0
      ? null
      : h(
          'ul',
          { class: 'reasons' },
          w.partWarranties.map((p) =>
            h(
              'li',
              {},
              tNodes('rma.card.partLine', { part: data(p.part), on: formatCalendarDate(p.repairedOn), end: formatCalendarDate(p.end) }),
              badge(p.inWarranty ? t('rma.card.covered') : t('rma.card.partExpired'), p.inWarranty ? 'ok' : ''),
            ),
          ),
        ),
  ];
}
