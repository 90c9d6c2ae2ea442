import { h } from '../dom.js';
import { t } from '../i18n.js';

/**
 * A line that says what long work is doing and for how long: "Reading parameters from the
 * box… 3 s". A box answers a whole parameter set in seconds, so the person sees it is still
 * working. The seconds stop when `done` is called or the line leaves the page.
 * @param {string} doing what is happening, in words
 */
export function progressLine(doing) {
  const seconds = h('span', { class: 'progress-seconds' }, t('params.progress.seconds', { seconds: 0 }));
  const el = h('p', { class: 'progress-line', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), `${doing} `, seconds);
  const started = Date.now();
  const timer = setInterval(() => {
    if (!el.isConnected && Date.now() - started > 1000) return done();
    seconds.textContent = t('params.progress.seconds', { seconds: Math.floor((Date.now() - started) / 1000) });
  }, 250);
  function done() {
    clearInterval(timer);
  }
  return { el, done, elapsedS: () => Math.round((Date.now() - started) / 100) / 10 };
}

/**
 * Runs `work` with a progress line shown in `where` (replacing what was there); the line is
 * stopped whatever happens. Answers what `work` answered.
 * @template T
 * @param {HTMLElement} where
 * @param {string} doing
 * @param {() => Promise<T>} work
 * @returns {Promise<T>}
 */
export async function withProgress(where, doing, work) {
  const line = progressLine(doing);
  where.replaceChildren(line.el);
  try {
    return await work();
  } finally {
    line.done();
  }
}
