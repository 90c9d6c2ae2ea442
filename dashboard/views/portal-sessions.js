import { api } from '../api.js';
import { badge, h, when } from '../dom.js';
import { actionButton, section } from '../ui.js';

/** @typedef {import('../api.js').PortalSessionList} PortalSessionList */
/** @typedef {PortalSessionList['sessions'][number]} PortalSession */
/** @typedef {import('../api.js').PortalJoinView} PortalJoinView */

/** Where a session stands, in words. @param {PortalSession} s */
function stateWords(s) {
  if (s.state === 'active') return { label: 'Running now', tone: 'ok', sentence: `${s.engineer} is guiding this session. Join to watch and chat.` };
  if (s.state === 'queued') {
    const place = s.queuePosition !== null ? ` You are number ${s.queuePosition} in line.` : '';
    const opens = s.supportOpensAt !== null ? ` Support opens ${when(s.supportOpensAt)}.` : '';
    return { label: 'Waiting for support hours', tone: 'warn', sentence: `The engineer starts it in support hours.${place}${opens}` };
  }
  return { label: 'Ended', tone: '', sentence: `This session ended ${when(s.endedAt)}.` };
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
    h('div', { class: 'portal-session-head' }, h('strong', {}, `Box ${s.serial}`), badge(words.label, words.tone)),
    h('p', {}, words.sentence),
    h('p', { class: 'muted' }, `Asked for ${when(s.openedAt)} · engineer ${s.engineer}`),
    s.mayJoin ? actionButton('Join', () => join(s), { busy: 'Opening…', testId: `join-${s.id}` }) : null,
  );
}

/**
 * Remote-guidance sessions on the organisation's boxes its people were invited to, with a
 * Join button that opens the customer page.
 * @type {import('../app.js').View}
 */
export const portalSessionsView = {
  title: 'Sessions',
  channels: [],
  mount(container) {
    const list = section('Remote guidance');
    container.append(
      h('div', { class: 'toolbar' }, h('h1', {}, 'Sessions')),
      h('p', { class: 'muted' }, 'When an engineer invites you to guide you through a box remotely, the session shows here.'),
      list.el,
    );
    return async () => {
      try {
        const { sessions } = /** @type {PortalSessionList} */ (await api('/portal/sessions'));
        list.show(
          sessions.length === 0
            ? h('p', { class: 'empty' }, 'No engineer has invited you to a session yet.')
            : h('ul', { class: 'portal-sessions plain-list' }, sessions.map(sessionItem)),
        );
      } catch (err) {
        list.fail(err);
      }
    };
  },
};
