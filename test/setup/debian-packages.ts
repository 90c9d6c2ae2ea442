import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * The real servers some tests start (Debian's packages), installed once before any test runs
 * when missing, as `.ci/run` does for Chromium. Installing needs root; without it the run stops
 * here with the command to type.
 */
const PACKAGES: Record<string, string> = {
  'victoria-metrics': '/usr/bin/victoria-metrics',
  influxdb: '/usr/bin/influxd',
  // Any version: test/helpers/engines.ts runs the newest under this directory.
  postgresql: '/usr/lib/postgresql',
  'redis-server': '/usr/bin/redis-server',
  haproxy: '/usr/sbin/haproxy',
};

export default function setup(): void {
  const missing = Object.entries(PACKAGES)
    .filter(([, binary]) => !existsSync(binary))
    .map(([name]) => name);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`the tests need Debian's ${missing.join(', ')}: run  sudo apt-get install -y ${missing.join(' ')}`);
  }
  const install = () => execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { stdio: 'inherit' });
  try {
    install();
  } catch {
    // A fresh machine has no package lists yet.
    execFileSync('apt-get', ['update'], { stdio: 'inherit' });
    install();
  }
}
