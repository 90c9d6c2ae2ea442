import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a webhook receiver got: its headers and raw body, as the signature covers it. */
export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface WebhookReceiver {
  url: string;
  received: Received[];
  /** The statuses to answer from now on, in turn (the last one repeats). */
  answer(next: number[]): void;
  close(): Promise<void>;
}

/** A local webhook receiver on 127.0.0.1 answering the statuses it is given in turn (the last one repeats). */
export async function webhookReceiver(statuses: number[]): Promise<WebhookReceiver> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = statuses.length > 1 ? statuses.shift()! : statuses[0]!;
      res.end(res.statusCode >= 300 ? 'receiver is down for maintenance' : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/mtbox`,
    received,
    answer: (next) => statuses.splice(0, statuses.length, ...next),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
