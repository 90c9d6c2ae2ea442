import { api } from '../api.js';
import { badge, data, h, tNodes, when } from '../dom.js';
import { t } from '../i18n.js';
import { actionButton, section } from '../ui.js';

/** @typedef {import('../api.js').PortalSessionList} PortalSessionList */
/** @typedef {PortalSessionList['sessions'][number]} PortalSession */
/** @typedef {import('../api.js').PortalJoinView} PortalJoinView */
/** @typedef {import('../dom.js').Child} Child */

/**
 * Where a session stands, in words.
 * @param {PortalSession} s
 * @returns {{ label: string, tone: string, sentence: Child[] }}
 */
function stateWords(s) {
  if (s.state === 'active') {
    return { label: t('portal.sessions.active'), tone: 'ok', sentence: tNodes('portal.sessions.activeSentence', { engineer: data(s.engineer) }) };
  }
  if (s.state === 'queued') {
    const place = s.queuePosition !== null ? t('portal.sessions.place', { position: s.queuePosition }) : '';
    const opens = s.supportOpensAt !== null ? t('portal.sessions.opens', { at: when(s.supportOpensAt) }) : '';
    return { label: t('portal.sessions.queued'), tone: 'warn', sentence: [`${t('portal.sessions.queuedSentence')}${place}${opens}`] };
  }
  return { label: t('portal.sessions.ended'), tone: '', sentence: [t('portal.sessions.endedSentence', { at: when(s.endedAt) })] };
}

/** Opens the customer page with a fresh link of this account's own. @param {PortalSession} s */
async function join(s) {
  const { url } = /** @type {PortalJoinView} */ (await api(`/portal/sessions/${s.id}/join`, { method: 'POST' }));
  location.assign(url);
}

/** @param {PortalSession} s */
function sessionItem(s) {
  const words = stateWords(s);
  return h(
    'li',
    { class: 'portal-session', 'data-session': s.id },
    h('div', { class: 'portal-session-head' }, h('strong', {}, t('portal.device.heading', { serial: s.serial })), badge(words.label, words.tone)),
    h('p', {}, words.sentence),
    h('p', { class: 'muted' }, tNodes('portal.sessions.asked', { at: when(s.openedAt), engineer: data(s.engineer) })),
    s.mayJoin ? actionButton(t('portal.sessions.join'), () => join(s), { busy: t('portal.sessions.opening'), testId: `join-${s.id}` }) : null,
  );
}

/**
 * Remote-guidance sessions on the organisation's boxes its people were invited to, with a
 * Join button that opens the customer page.
 * @type {import('../app.js').View}
 */
export const portalSessionsView = {
  get title() {
    return t('portal.sessions.title');
  },
  channels: [],
  mount(container) {
    const list = section(t('portal.sessions.section'));
    container.append(
      h('div', { class: 'toolbar' }, h('h1', {}, t('portal.sessions.title'))),
      h('p', { class: 'muted' }, t('portal.sessions.intro')),
      list.el,
    );
    return async () => {
      try {
        const { sessions } = /** @type {PortalSessionList} */ (await api('/portal/sessions'));
        list.show(
          sessions.length === 0
            ? h('p', { class: 'empty' }, t('portal.sessions.empty'))
            : h('ul', { class: 'portal-sessions plain-list' }, sessions.map(sessionItem)),
        );
      } catch (err) {
        list.fail(err);
      }
    };
  },
};
