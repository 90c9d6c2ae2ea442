import { api, ApiError } from './api.js';
import { data, h } from './dom.js';
import { errorText } from './error-words.js';
import { currentLocale, currentTimeZone, isLocale, onLocaleChange, setLocale, setTimeZone, t, translateMarkup } from './i18n.js';
import { modalForm } from './ui.js';
import { startLiveFeed } from './live-feed.js';
import { caseView } from './views/case.js';
import { casesView } from './views/cases.js';
import { deviceView } from './views/device.js';
import { fleetView } from './views/fleet.js';
import { incidentView } from './views/incident.js';
import { inviteView } from './views/invite.js';
import { organisationView } from './views/organisation.js';
import { organisationsView } from './views/organisations.js';
import { portalView } from './views/portal.js';
import { portalDeviceView } from './views/portal-device.js';
import { portalTicketView } from './views/portal-ticket.js';
import { portalTicketsView } from './views/portal-tickets.js';
import { platformTicketView } from './views/platform-ticket.js';
import { platformTicketsView } from './views/platform-tickets.js';
import { portalFeedbackTicketView } from './views/portal-feedback-ticket.js';
import { portalFeedbackView } from './views/portal-feedback.js';
import { portalSessionsView } from './views/portal-sessions.js';
import { portalNotificationsView } from './views/portal-notifications.js';
import { portalSettingsView } from './views/portal-settings.js';
import { sessionConsoleView } from './views/session-console.js';
import { sessionsView } from './views/sessions.js';
import { ticketView } from './views/ticket.js';
import { ticketsView } from './views/tickets.js';
import { roleWords } from './words.js';

/**
 * A mounted page: `refresh` loads its data; `onLive`, if present, applies a live event of one of
 * its channels in place and answers true, or answers false to have the page refetched;
 * `dispose`, if present, runs when the page is left (e.g. to leave a session's room).
 * @typedef {{ refresh: () => Promise<void>, onLive?: (event: import('./live-feed.js').LiveEvent) => boolean,
 *   dispose?: () => void }} Mounted
 */
/**
 * A page of the app: `mount` builds it in the container with the route's parameters (decoded
 * path segments, e.g. a serial) and returns the function that loads (and, on a live event of
 * one of its channels, reloads) its data, or a `Mounted`.
 * `title` is read at every mount, so views define it as a getter of their message (`get title()`).
 * @typedef {{ title: string, channels: readonly import('./live-feed.js').Channel[],
 *   mount: (container: HTMLElement, params: string[]) => (() => Promise<void>) | Mounted }} View
 */
/**
 * A route: a hash pattern whose `:name` segments are parameters, the view it shows and the nav
 * link it highlights.
 * @typedef {{ pattern: string, view: View, nav: string }} Route
 */

/** The vendor's staff: the workbench. @type {Route[]} */
const ROUTES = [
  { pattern: '#/fleet', view: fleetView, nav: '#/fleet' },
  { pattern: '#/devices/:serial', view: deviceView, nav: '#/fleet' },
  { pattern: '#/tickets', view: ticketsView, nav: '#/tickets' },
  { pattern: '#/tickets/:id', view: ticketView, nav: '#/tickets' },
  { pattern: '#/cases', view: casesView, nav: '#/cases' },
  { pattern: '#/cases/:id', view: caseView, nav: '#/cases' },
  { pattern: '#/incidents/:id', view: incidentView, nav: '#/cases' },
  { pattern: '#/platform-tickets', view: platformTicketsView, nav: '#/platform-tickets' },
  { pattern: '#/platform-tickets/:id', view: platformTicketView, nav: '#/platform-tickets' },
  { pattern: '#/sessions', view: sessionsView, nav: '#/sessions' },
  { pattern: '#/sessions/:id', view: sessionConsoleView, nav: '#/sessions' },
  { pattern: '#/organisations', view: organisationsView, nav: '#/organisations' },
  { pattern: '#/organisations/:id', view: organisationView, nav: '#/organisations' },
];
const DEFAULT_ROUTE = '#/fleet';

/**
 * Customer accounts: the portal, their own organisation's boxes, requests and feedback only
 * (the server answers nothing else to them).
 * @type {Route[]}
 */
const PORTAL_ROUTES = [
  { pattern: '#/portal/feedback', view: portalFeedbackView, nav: '#/portal/feedback' },
  { pattern: '#/portal/feedback/:id', view: portalFeedbackTicketView, nav: '#/portal/feedback' },
  { pattern: '#/portal/sessions', view: portalSessionsView, nav: '#/portal/sessions' },
  { pattern: '#/portal/notifications', view: portalNotificationsView, nav: '#/portal/notifications' },
  { pattern: '#/portal/settings', view: portalSettingsView, nav: '#/portal/settings' },
  { pattern: '#/portal', view: portalView, nav: '#/portal' },
  { pattern: '#/portal/devices/:serial', view: portalDeviceView, nav: '#/portal' },
  { pattern: '#/portal/tickets', view: portalTicketsView, nav: '#/portal/tickets' },
  { pattern: '#/portal/tickets/:id', view: portalTicketView, nav: '#/portal/tickets' },
];
const PORTAL_DEFAULT_ROUTE = '#/portal';

/** Pages shown without signing in, e.g. accepting an invitation. @type {Route[]} */
const PUBLIC_ROUTES = [{ pattern: '#/invite/:token', view: inviteView, nav: '' }];
// Live events only say what changed; the open page refetches, at most this often.
const REFRESH_DELAY_MS = 500;

/** The page's fixed elements (index.html); each id is there. @type {(id: string) => HTMLElement} */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const viewEl = $('view');

/** @typedef {import('./api.js').SignedInUser & { permissions: import('./api.js').MeResponse['permissions'] }} Account */
/** @type {Account | null} */
let user = null;

/**
 * The signed-in account, for pages that offer only what its role may do (the server still
 * decides). Pages are mounted only while someone is signed in.
 */
/** @returns {Account} */
export function signedInUser() {
  if (!user) throw new Error('no one is signed in');
  return user;
}
/** @type {(() => void) | null} */
let stopFeed = null;
/** @type {({ view: View } & Mounted) | null} */
let current = null;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let refreshTimer;

/**
 * The route a hash names in a route table, with its parameters decoded, or null.
 * @param {string} hash
 * @param {Route[]} routes
 * @returns {{ route: Route, params: string[] } | null}
 */
function match(hash, routes) {
  const parts = hash.split('/');
  for (const route of routes) {
    const pattern = route.pattern.split('/');
    if (pattern.length !== parts.length) continue;
    /** @type {string[]} */
    const params = [];
    const same = pattern.every((segment, i) => {
      const part = /** @type {string} */ (parts[i]);
      if (!segment.startsWith(':')) return segment === part;
      if (part === '') return false;
      try {
        params.push(decodeURIComponent(part));
        return true;
      } catch {
        return false; // a malformed %-escape names no page
      }
    });
    if (same) return { route, params };
  }
  return null;
}

/** @param {unknown} err */
function showError(err) {
  viewEl.append(h('p', { class: 'error', role: 'alert' }, t('common.couldNotLoad', { reason: errorText(err) })));
}

async function refresh() {
  if (!current) return;
  const shown = current;
  try {
    await shown.refresh();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return signedOut();
    if (current === shown) showError(err);
  }
}

function showAccount() {
  if (!user) return;
  // The username is data, shown as typed; the role is words.
  $('signed-in-user').replaceChildren(data(user.username), t('common.signedInRole', { role: roleWords(user.role) }));
}

translateMarkup(document.body);
const languageSwitch = /** @type {HTMLSelectElement} */ ($('language'));
languageSwitch.value = currentLocale();
languageSwitch.addEventListener('change', async () => {
  const chosen = languageSwitch.value;
  if (!isLocale(chosen)) return;
  setLocale(chosen);
  if (!user) return;
  try {
    await api('/auth/me/preferences', { method: 'PATCH', body: { locale: chosen } });
  } catch (err) {
    // The page is in the chosen language already; only its memory for the next sign-in failed.
    console.warn('could not keep the language on the account', err);
  }
});

// A switch of language or zone re-renders everything in place, without a reload; the sign-in
// form is relabelled rather than rebuilt, so what was typed in it stays.
onLocaleChange(() => {
  languageSwitch.value = currentLocale();
  translateMarkup(document.body);
  showAccount();
  if (user) render();
  else relabelLogin();
});

/** The sign-in form's words in the new language, keeping what was typed. */
function relabelLogin() {
  const form = viewEl.querySelector('#login-form');
  if (!form) return render();
  translateMarkup(form);
  document.title = `${t('common.login.title')} · ${t('common.brand')}`;
}

/** The zones offered, China's first. */
function zones() {
  const all = Intl.supportedValuesOf('timeZone');
  return ['Asia/Shanghai', ...all.filter((z) => z !== 'Asia/Shanghai'), 'UTC'];
}

$('signed-in-user').addEventListener('click', async () => {
  const select = h(
    'select',
    { name: 'timeZone', id: 'time-zone' },
    zones().map((zone) => h('option', { value: zone, selected: zone === currentTimeZone() }, zone)),
  );
  const saved = await modalForm({
    title: t('common.timeZone.heading'),
    content: [h('label', {}, t('common.timeZone.title'), select)],
    submit: t('common.save'),
    onSubmit: async () =>
      /** @type {import('./api.js').MeResponse['preferences']} */ (
        await api('/auth/me/preferences', { method: 'PATCH', body: { timeZone: select.value } })
      ),
  });
  if (!saved) return;
  setTimeZone(saved.timeZone);
});

/** @param {Account} account */
const isCustomer = (account) => account.role === 'customer';

function render() {
  clearTimeout(refreshTimer);
  current?.dispose?.();
  current = null;
  if (!user) {
    const open = match(location.hash, PUBLIC_ROUTES);
    return open ? mount(open) : renderLogin();
  }
  const [routes, fallback] = isCustomer(user) ? [PORTAL_ROUTES, PORTAL_DEFAULT_ROUTE] : [ROUTES, DEFAULT_ROUTE];
  let found = match(location.hash, routes);
  if (!found) {
    history.replaceState(null, '', fallback);
    found = match(fallback, routes);
  }
  if (!found) {
    viewEl.replaceChildren(h('p', { class: 'empty' }, t('common.nothingForAccount')));
    return;
  }
  mount(found);
}

/** @param {{ route: Route, params: string[] }} found */
function mount({ route, params }) {
  const view = route.view;
  document.title = [...params, view.title, t('common.brand')].join(' · ');
  for (const link of document.querySelectorAll('nav a')) link.classList.toggle('active', link.getAttribute('href') === route.nav);
  viewEl.replaceChildren();
  const mounted = view.mount(viewEl, params);
  current = { view, ...(typeof mounted === 'function' ? { refresh: mounted } : mounted) };
  void refresh();
}

function renderLogin() {
  current = null;
  document.title = `${t('common.login.title')} · ${t('common.brand')}`;
  const template = /** @type {HTMLTemplateElement} */ ($('login-template'));
  const form = /** @type {HTMLFormElement} */ (/** @type {HTMLFormElement} */ (template.content.firstElementChild).cloneNode(true));
  const error = /** @type {HTMLElement} */ (form.querySelector('#login-error'));
  translateMarkup(form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    const button = /** @type {HTMLButtonElement} */ (form.querySelector('button'));
    button.disabled = true;
    try {
      const data = new FormData(form);
      await api('/auth/login', { method: 'POST', body: { username: data.get('username'), password: data.get('password') } });
      signedIn(/** @type {import('./api.js').MeResponse} */ (await api('/auth/me')));
    } catch (err) {
      const retryAfterS = err instanceof ApiError ? /** @type {{ retryAfterS?: unknown } | null} */ (err.details)?.retryAfterS : undefined;
      error.textContent =
        err instanceof ApiError && err.code === 'TOO_MANY_ATTEMPTS' && typeof retryAfterS === 'number'
          ? t('common.login.tooMany', { seconds: retryAfterS })
          : err instanceof ApiError && err.status < 500
            ? errorText(err)
            : t('common.login.failed', { reason: errorText(err) });
    } finally {
      button.disabled = false;
    }
  });
  viewEl.replaceChildren(form);
  /** @type {HTMLInputElement} */ (form.querySelector('input')).focus();
}

/** @param {import('./api.js').MeResponse} me */
function signedIn(me) {
  const account = { ...me.user, permissions: me.permissions };
  user = account;
  // The account's own choices follow it to every browser; unchosen, the page keeps its language.
  if (me.preferences.locale) setLocale(me.preferences.locale, { remember: false });
  setTimeZone(me.preferences.timeZone);
  showAccount();
  $('account').hidden = false;
  stopFeed?.();
  stopFeed = null;
  // The live feed carries every organisation's events: it is the staff's, not the portal's.
  $('nav').hidden = isCustomer(account);
  $('portal-nav').hidden = !isCustomer(account);
  $('activity').hidden = isCustomer(account);
  if (isCustomer(account)) return render();
  stopFeed = startLiveFeed({
    list: $('live-feed'),
    status: $('live-status'),
    onSignedOut: signedOut,
    onEvent(event) {
      if (!current?.view.channels.includes(event.channel)) return;
      if (current.onLive?.(event)) return;
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(refresh, REFRESH_DELAY_MS);
    },
  });
  render();
}

/**
 * Signs in the account the server has just opened a session for outside the sign-in form
 * (an accepted invitation) and shows its home page.
 * @param {import('./api.js').MeResponse} me
 */
export function signInWith(me) {
  signedIn(me);
}

function signedOut() {
  user = null;
  stopFeed?.();
  stopFeed = null;
  $('nav').hidden = true;
  $('portal-nav').hidden = true;
  $('account').hidden = true;
  $('activity').hidden = true;
  $('signed-in-user').textContent = '';
  render();
}

$('logout').addEventListener('click', async () => {
  try {
    await api('/auth/logout', { method: 'POST' });
  } catch (err) {
    // Already signed out (401) is the outcome we want anyway.
    if (!(err instanceof ApiError && err.status === 401)) console.warn('logout failed', err);
  }
  signedOut();
});
window.addEventListener('hashchange', render);

try {
  signedIn(/** @type {import('./api.js').MeResponse} */ (await api('/auth/me')));
} catch (err) {
  if (!(err instanceof ApiError && err.status === 401)) console.warn('session check failed', err);
  signedOut();
}
