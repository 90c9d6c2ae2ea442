import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '../../kernel/app-error.ts';

/** What GET /metrics serves, and the bearer token a scraper must send. */
export interface MetricsExposition {
  token: string;
  render(): Promise<{ contentType: string; body: string }>;
}

// Digests of equal length, so the comparison takes the same time whatever the token sent.
const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * GET /metrics for Prometheus, behind `Authorization: Bearer <METRICS_TOKEN>`. Outside /api: it is
 * text, not JSON, and scrapers expect this path.
 */
export function metricsEndpoint(exposition: MetricsExposition): RequestHandler {
  const expected = digest(exposition.token);
  return (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const sent = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    if (!timingSafeEqual(digest(sent), expected)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      return next(new AppError('UNAUTHENTICATED'));
    }
    exposition.render().then(({ contentType, body }) => {
      res.setHeader('Cache-Control', 'no-store');
      res.type(contentType).send(body);
    }, next);
  };
}
