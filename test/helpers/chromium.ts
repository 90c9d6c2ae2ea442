import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium: playwright cannot download its own browsers on these machines. */
const CHROMIUM = '/usr/bin/chromium';

/** A headless Chromium for the browser tests; close it in afterAll. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'],
  });
}
