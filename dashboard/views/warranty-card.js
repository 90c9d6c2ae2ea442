import { badge, h } from '../dom.js';

/** @typedef {import('../api.js').WarrantyAnswer} WarrantyAnswer */

/** @param {WarrantyAnswer} w */
function verdict(w) {
  if (w.inWarranty === null) return badge('undecided', 'warn');
  return w.inWarranty ? badge(`in warranty until ${w.end}`, 'ok') : badge(`expired ${w.end}`, 'bad');
}

/**
 * The box's warranty today with the reasons the backend gives, and each repaired part's own cover.
 * @param {WarrantyAnswer} w
 */
export function warrantyCard(w) {
  return [
    h('p', { id: 'warranty-verdict' }, verdict(w)),
    h('p', { class: 'muted' }, `Counted from: ${w.basis}${w.start ? ` (${w.start})` : ''}`),
    h(
      'ul',
      { class: 'reasons' },
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
              `${p.part}: repaired ${p.repairedOn}, covered until ${p.end} `,
              badge(p.inWarranty ? 'covered' : 'expired', p.inWarranty ? 'ok' : ''),
            ),
          ),
        ),
  ];
}
