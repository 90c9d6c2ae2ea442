/** Every backup directory is named `mtbox-care-<UTC yyyymmddThhmmssZ>`, with `-<n>` when that second is taken. */
const PREFIX = 'mtbox-care-';
const NAME = /^mtbox-care-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z(?:-(\d+))?$/;

/** `mtbox-care-20261130T095000Z` for that instant (milliseconds are dropped). */
export function backupName(takenAt: number, taken: ReadonlySet<string> = new Set()): string {
  const stamp = new Date(takenAt)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const base = `${PREFIX}${stamp}`;
  if (!taken.has(base)) return base;
  // Two backups in one second (an on-demand one next to the schedule's): the later gets a suffix.
  for (let n = 2; ; n++) {
    const name = `${base}-${n}`;
    if (!taken.has(name)) return name;
  }
}

/** When the named backup was taken (epoch ms) and its place within that second; null for any other name. */
export function parseBackupName(name: string): { takenAt: number; seq: number } | null {
  const m = NAME.exec(name);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const takenAt = Date.UTC(y, mo - 1, d, h, mi, s);
  // Reject what Date.UTC would roll over (month 13, second 61): not a name we wrote.
  if (new Date(takenAt).getUTCDate() !== d || new Date(takenAt).getUTCSeconds() !== s) return null;
  return { takenAt, seq: m[7] === undefined ? 1 : Number(m[7]) };
}

/** Oldest first: by time, then by suffix within one second. */
export function compareBackupNames(a: string, b: string): number {
  const pa = parseBackupName(a);
  const pb = parseBackupName(b);
  if (!pa || !pb) return a.localeCompare(b);
  return pa.takenAt - pb.takenAt || pa.seq - pb.seq;
}
