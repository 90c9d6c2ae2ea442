import type { Page } from 'playwright-core';

/*
 * Whether a page shows its words in one language only. Walks the visible text nodes and answers
 * those written in the other script, leaving out what is data rather than the page's own words:
 * text inside `translate="no"` (what a box reported or a person typed: dom.js `data()`), text
 * inside an element whose `lang` is not the page's (a language switch names each language in
 * itself), serials (upper-case letters and digits), and, in Chinese, the technical abbreviations
 * Chinese documentation writes in Latin letters too.
 */

export type PageLocale = 'en' | 'zh-CN';

/** Abbreviations and names a Chinese page keeps in Latin letters. */
export const LATIN_IN_CHINESE = [
  'MT-BOX',
  'MQTT',
  'PLC',
  'CSV',
  'RMA',
  'BUG',
  'ID',
  'IP',
  'URL',
  'HTTP',
  'HTTPS',
  'HMAC',
  'SHA',
  'JSON',
  'API',
  'QoS',
  'TCP',
  'Modbus',
  'RTU',
  'RS',
  'SN',
  'SIM',
  'Micro-SIM',
  'Nano-SIM',
  'LTE',
  'Webhook',
  'SSL',
  'TLS',
  'PDF',
  'CPU',
  'GMT',
  'UTC',
  'Ctrl',
  'OK',
  'kPa',
  'mA',
  'dBm',
  'ms',
  'Ethernet',
  'WiFi',
  'Wi-Fi',
  'VPN',
  'SIM',
  'PIN',
  'PUK',
  'APN',
  'ICCID',
  'IMEI',
  'DHCP',
  'DNS',
  'NAT',
  'WAN',
  'LAN',
  'MAC',
  'PHY',
  'MDIO',
  'PAP',
  'CHAP',
  'HMI',
  'CRC',
  'PROFINET',
  'UDP',
  'RAM',
  'DIN',
  'DC',
  'AC',
  'LED',
  'USB',
  'ANT',
  'IT',
  'MTIC',
  'PMS',
  'Broker',
  'KB',
  'MB',
  'mm',
  'cm',
  'GB',
];

/**
 * The visible text nodes of the other language, each trimmed, at most `limit` of them, in the
 * whole page or under the element `root` selects.
 */
export async function otherLanguageText(page: Page, locale: PageLocale, { root = 'body', limit = 20 } = {}): Promise<string[]> {
  return page.evaluate(
    ({ locale, allowed, limit, root }) => {
      const han = /\p{Script=Han}/u;
      // Serials, firmware builds, fault codes (FLASH_WRITE_FAILED) and dotted parameter names
      // (plc.timeout_ms) are data, whatever the language around them.
      const codes = /\b(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{2,30}\b|\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b|\b[a-z][a-z0-9]*(?:[._][a-z0-9]+)+\b/g;
      const allow = new Set(allowed);
      const found: string[] = [];
      const top = document.querySelector(root);
      if (!top) throw new Error(`nothing matches ${root}`);
      const walker = document.createTreeWalker(top, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node && found.length < limit; node = walker.nextNode()) {
        const text = node.textContent?.trim() ?? '';
        if (text === '') continue;
        const el = node.parentElement;
        if (!el || el.closest('script, style, template, [translate="no"]')) continue;
        const tagged = el.closest('[lang]');
        if (tagged && tagged !== document.documentElement && tagged.getAttribute('lang') !== locale) continue;
        // Only what a person sees: not hidden, not a closed <details>' body, not a closed dialog.
        if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
        if (locale === 'en') {
          if (han.test(text)) found.push(text);
          continue;
        }
        const words = (text.replace(codes, ' ').match(/[A-Za-z][A-Za-z-]*[A-Za-z]|[A-Za-z]/g) ?? []).filter((w) => !allow.has(w));
        // A lone letter is a unit or a label's part (°C, V, A); two or more letters are a word.
        if (words.some((w) => w.length >= 2)) found.push(text);
      }
      return found;
    },
    { locale, allowed: LATIN_IN_CHINESE, limit, root },
  );
}
