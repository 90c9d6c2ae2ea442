import type { BrowserContext, Page } from 'playwright-core';

/**
 * What the fleet page costs in a real Chromium: the time to its first page of rows, and how
 * the main thread fares while boxes report and flap. Everything is measured inside the page
 * (performance.now() from the navigation's start, PerformanceObserver, MutationObserver,
 * requestAnimationFrame), so playwright's own round trips are not in the figures.
 */

const ROWS = '#view tbody tr';
const WAIT_MS = 60_000;

export interface LoadSample {
  /** From navigation start to the first page of rows in the DOM. */
  rowsMs: number;
  /** To the animation frame after that: the rows are on screen. */
  paintedMs: number;
  /** The first `GET /api/devices`: when the page sent it (the boot before it is the app's), its body bytes, request start → response end. */
  devicesStartMs: number;
  devicesBytes: number;
  /** Files the page fetched before it (HTML, modules, CSS, socket.io client), and their median request → last byte. */
  bootFiles: number;
  bootFileMs: number;
  devicesMs: number;
  /** Elements in the document, and its height in CSS px, when the rows are on screen. */
  domElements: number;
  heightPx: number;
  rows: number;
}

interface Probe {
  rowsAt: number | null;
  paintedAt: number | null;
}

/** Runs in the page before its own scripts: notes when `want` fleet rows are in the DOM, and the frame after. */
function installFirstRowsProbe(a: { want: number; rows: string }): void {
  const probe: Probe = { rowsAt: null, paintedAt: null };
  (window as unknown as { __fleetProbe: Probe }).__fleetProbe = probe;
  const observer = new MutationObserver(() => {
    if (probe.rowsAt !== null || document.querySelectorAll(a.rows).length < a.want) return;
    probe.rowsAt = performance.now();
    observer.disconnect();
    requestAnimationFrame(() => {
      probe.paintedAt = performance.now();
    });
  });
  observer.observe(document, { childList: true, subtree: true });
}

/**
 * tsx compiles this file with esbuild's keepNames, which wraps named inner functions in a
 * `__name()` helper that exists only in Node; the functions sent to the page need it too.
 */
const NAME_HELPER = { content: 'globalThis.__name ??= (fn) => fn;' };

async function openFleet(context: BrowserContext, base: string, want: number): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  await page.addInitScript(NAME_HELPER);
  await page.addInitScript(installFirstRowsProbe, { want, rows: ROWS });
  await page.goto(`${base}/#/fleet`);
  await page.waitForFunction(() => (window as unknown as { __fleetProbe: Probe }).__fleetProbe.paintedAt !== null, undefined, { polling: 50 });
  return page;
}

/** One navigation of a signed-in tab to `#/fleet`, until its first `want` rows are on screen. */
export async function measureLoad(context: BrowserContext, base: string, want: number): Promise<LoadSample> {
  const page = await openFleet(context, base, want);
  try {
    return await page.evaluate((rows) => {
      const probe = (window as unknown as { __fleetProbe: Probe }).__fleetProbe;
      const devices = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter(
        (e) => new URL(e.name).pathname === '/api/devices',
      );
      const first = devices[0];
      const boot = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter((e) => first && e.startTime < first.startTime && !new URL(e.name).pathname.startsWith('/api/'))
        .map((e) => e.responseEnd - e.startTime)
        .sort((x, y) => x - y);
      return {
        rowsMs: probe.rowsAt!,
        paintedMs: probe.paintedAt!,
        devicesStartMs: first?.startTime ?? Number.NaN,
        devicesBytes: first?.decodedBodySize ?? Number.NaN,
        bootFiles: boot.length,
        bootFileMs: boot[boot.length >> 1] ?? Number.NaN,
        devicesMs: first ? first.responseEnd - first.startTime : Number.NaN,
        domElements: document.getElementsByTagName('*').length,
        heightPx: document.documentElement.scrollHeight,
        rows: document.querySelectorAll(rows).length,
      };
    }, ROWS);
  } finally {
    await page.close();
  }
}

export interface WatchSample {
  seconds: number;
  longTasks: number;
  longTaskMs: number;
  longestTaskMs: number;
  /** Presence cells of shown rows changed in place (device.online/offline applied to the list). */
  patches: number;
  /** Times the list's body was rebuilt (a refetch of the first page). */
  listRebuilds: number;
  /** `GET /api/devices` requests the page made during the window. */
  refetches: number;
  /** socket.io `live` frames received, and how many of them were presence events. */
  liveFrames: number;
  presenceFrames: number;
  /** Animation frames per second: median and lowest of the whole seconds, and the longest gap between two frames. */
  fpsMedian: number;
  fpsMin: number;
  maxFrameGapMs: number;
  domElementsAfter: number;
}

interface Watch {
  longTasks: number;
  longTaskMs: number;
  longestTaskMs: number;
  patches: number;
  listRebuilds: number;
  frames: number[];
  running: boolean;
}

/** Runs in the page: counts long tasks, presence patches, list rebuilds and animation frames until stopped. */
function installWatch(): void {
  const w: Watch = { longTasks: 0, longTaskMs: 0, longestTaskMs: 0, patches: 0, listRebuilds: 0, frames: [], running: true };
  (window as unknown as { __fleetWatch: Watch }).__fleetWatch = w;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      w.longTasks++;
      w.longTaskMs += e.duration;
      w.longestTaskMs = Math.max(w.longestTaskMs, e.duration);
    }
  }).observe({ type: 'longtask' });
  const body = document.querySelector('#view tbody');
  if (body) {
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.target === body) w.listRebuilds++;
        else if ((r.target as Element).matches('span.presence')) w.patches++;
      }
    }).observe(body, { childList: true, subtree: true });
  }
  const frame = (t: number) => {
    if (!w.running) return;
    w.frames.push(t);
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

/** Frames per whole second of the window, and the longest gap between two frames. */
function frameRates(frames: number[]): { perSecond: number[]; maxGapMs: number } {
  if (frames.length < 2) return { perSecond: [0], maxGapMs: Number.POSITIVE_INFINITY };
  const t0 = frames[0]!;
  const whole = Math.floor((frames.at(-1)! - t0) / 1000);
  const perSecond = new Array<number>(Math.max(1, whole)).fill(0);
  let maxGapMs = 0;
  for (let i = 0; i < frames.length; i++) {
    const s = Math.floor((frames[i]! - t0) / 1000);
    if (s < perSecond.length) perSecond[s]!++;
    if (i > 0) maxGapMs = Math.max(maxGapMs, frames[i]! - frames[i - 1]!);
  }
  return { perSecond, maxGapMs };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Opens the fleet page, waits for the live feed to subscribe, and watches it for `seconds` while the boxes report and flap. */
export async function watchFleet(context: BrowserContext, base: string, want: number, seconds: number): Promise<WatchSample> {
  let liveFrames = 0;
  let presenceFrames = 0;
  let refetches = 0;
  let watching = false;
  const page = await context.newPage();
  page.on('websocket', (ws) =>
    ws.on('framereceived', ({ payload }) => {
      if (!watching || typeof payload !== 'string' || !payload.startsWith('42["live"')) return;
      liveFrames++;
      if (payload.includes('"type":"device.online"') || payload.includes('"type":"device.offline"')) presenceFrames++;
    }),
  );
  page.on('request', (req) => {
    if (watching && req.method() === 'GET' && new URL(req.url()).pathname === '/api/devices') refetches++;
  });
  try {
    page.setDefaultTimeout(WAIT_MS);
    await page.addInitScript(NAME_HELPER);
    await page.addInitScript(installFirstRowsProbe, { want, rows: ROWS });
    await page.goto(`${base}/#/fleet`);
    await page.waitForFunction(() => (window as unknown as { __fleetProbe: Probe }).__fleetProbe.paintedAt !== null, undefined, { polling: 50 });
    await page.locator('#live-status', { hasText: /^live$/ }).waitFor();
    await page.evaluate(installWatch);
    watching = true;
    await new Promise((r) => setTimeout(r, seconds * 1000));
    watching = false;
    const w = await page.evaluate(() => {
      const watch = (window as unknown as { __fleetWatch: Watch }).__fleetWatch;
      watch.running = false;
      return { ...watch, domElementsAfter: document.getElementsByTagName('*').length };
    });
    const fps = frameRates(w.frames);
    return {
      seconds,
      longTasks: w.longTasks,
      longTaskMs: w.longTaskMs,
      longestTaskMs: w.longestTaskMs,
      patches: w.patches,
      listRebuilds: w.listRebuilds,
      refetches,
      liveFrames,
      presenceFrames,
      fpsMedian: median(fps.perSecond),
      fpsMin: Math.min(...fps.perSecond),
      maxFrameGapMs: fps.maxGapMs,
      domElementsAfter: w.domElementsAfter,
    };
  } finally {
    await page.close();
  }
}
