import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPrivateAddress, parseWebhookUrl, type TargetRefusal } from './domain/webhook-target.ts';

/** How long a receiver has to answer one delivery. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** The receiver's answer is not stored; at most this much of it names the error. */
const ERROR_TEXT_MAX = 200;

export interface SendOutcome {
  /** The HTTP status, or null when no answer came (refused target, network error, timeout). */
  status: number | null;
  /** Null on 2xx; otherwise a short reason. */
  error: string | null;
}

export class TargetRefused extends Error {
  constructor(readonly reason: TargetRefusal) {
    super(`webhook target refused: ${reason}`);
  }
}

/**
 * Resolves a host and refuses it when any of its addresses is private (unless allowed):
 * used when a URL is saved, and, as the sockets' own lookup, at every delivery, so the
 * address checked is the address connected to (DNS rebinding).
 */
export async function checkTarget(urlText: string, allowPrivate: boolean): Promise<TargetRefusal | null> {
  const parsed = parseWebhookUrl(urlText);
  if (!parsed.ok) return parsed.reason;
  if (allowPrivate) return null;
  const host = parsed.url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return isPrivateAddress(host) ? 'private-address' : null;
  try {
    const addresses = await new Promise<LookupAddress[]>((resolve, reject) =>
      dnsLookup(host, { all: true }, (err, found) => (err ? reject(err) : resolve(found))),
    );
    return addresses.length === 0 || addresses.some((a) => isPrivateAddress(a.address)) ? 'private-address' : null;
  } catch {
    return 'unresolvable';
  }
}

function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, found) => {
      if (err) return callback(err, '', 4);
      const addresses = found as LookupAddress[];
      const refused = !allowPrivate && addresses.some((a) => isPrivateAddress(a.address));
      if (refused || addresses.length === 0) return callback(new TargetRefused('private-address'), '', 4);
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

/** POSTs one signed delivery; never throws: every outcome is a status or an error text. */
export async function sendDelivery(
  urlText: string,
  headers: Record<string, string>,
  body: string,
  opts: { allowPrivate: boolean; timeoutMs?: number },
): Promise<SendOutcome> {
  const refusal = await checkTarget(urlText, opts.allowPrivate);
  if (refusal) return { status: null, error: `target refused: ${refusal}` };
  const url = new URL(urlText);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<SendOutcome>((resolve) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        lookup: guardedLookup(opts.allowPrivate),
        timeout: opts.timeoutMs ?? DELIVERY_TIMEOUT_MS,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (text.length < ERROR_TEXT_MAX) text += chunk;
        });
        res.on('end', () => {
          const ok = status >= 200 && status < 300;
          resolve({ status, error: ok ? null : `HTTP ${status}${text ? `: ${text.slice(0, ERROR_TEXT_MAX)}` : ''}` });
        });
        res.on('error', (err) => resolve({ status, error: err.message.slice(0, ERROR_TEXT_MAX) }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${(opts.timeoutMs ?? DELIVERY_TIMEOUT_MS) / 1000} s`)));
    req.on('error', (err) => {
      const reason = err instanceof TargetRefused ? `target refused: ${err.reason}` : err.message;
      resolve({ status: null, error: reason.slice(0, ERROR_TEXT_MAX) });
    });
    req.end(body);
  });
}
