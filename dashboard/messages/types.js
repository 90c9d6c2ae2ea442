/**
 * One message in both languages, side by side: ICU MessageFormat text (FormatJS), e.g.
 * `{count, plural, one {# working day left} other {# working days left}}`. Both languages must
 * use the same arguments (test/dashboard-messages.test.ts).
 * @typedef {{ en: string, 'zh-CN': string }} Message
 */
/** @typedef {Record<string, Message>} Messages */
export {};
