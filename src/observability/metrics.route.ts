import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Express, type RequestHandler } from 'express';
import type { Metrics } from './metrics';

export interface MetricsRouteOptions {
  metrics: Metrics;
  /** When set, a scrape must send `Authorization: Bearer <token>`. */
  token?: string;
}

/** Hashing first gives both sides the same length, so the comparison takes the same time whatever was sent. */
function sameSecret(sent: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(sent), digest(expected));
}

/** `GET /metrics` in Prometheus' text format, optionally behind a bearer token. */
export function metricsRoute(options: MetricsRouteOptions): RequestHandler {
  return async (request, response, next) => {
    if (options.token !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
      if (!match || !sameSecret(match[1], options.token)) {
        response.status(401).set('www-authenticate', 'Bearer realm="tessera-metrics"').type('text/plain').send('Unauthorized\n');
        return;
      }
    }
    try {
      const { contentType, body } = await options.metrics.text();
      response.type(contentType).set('cache-control', 'no-store').send(body);
    } catch (error) {
      next(error);
    }
  };
}

/**
 * The app of the metrics listener (METRICS_PORT): `GET /metrics` and nothing else, so what it
 * exposes is decided by where it listens (loopback by default) and by METRICS_TOKEN.
 */
export function metricsApp(options: MetricsRouteOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.get('/metrics', metricsRoute(options));
  app.use((_request, response) => {
    response.status(404).type('text/plain').send('Not found: this listener serves GET /metrics\n');
  });
  return app;
}
