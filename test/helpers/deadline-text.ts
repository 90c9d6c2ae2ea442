/**
 * How the page writes a deadline in `timeZone` (dashboard/i18n.js formatDeadline): date, weekday,
 * time to the minute and the zone's name. Self-contained, so `page.evaluate(deadlineText, …)`
 * runs it with the browser's own ICU.
 */
export function deadlineText({ ms, locale, timeZone }: { ms: number; locale: 'en' | 'zh-CN'; timeZone: string }): string {
  const part = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, { timeZone, ...options }).format(ms);
  const date = part({ year: 'numeric', month: '2-digit', day: '2-digit' });
  const weekday = part({ weekday: 'short' });
  const time = part({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const zone =
    new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' }).formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
  return locale === 'en' ? `${weekday}, ${date}, ${time} ${zone}` : `${date}（${weekday}）${time} ${zone}`;
}
