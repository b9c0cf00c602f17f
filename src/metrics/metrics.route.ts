// GET /metrics: the Prometheus exposition of this instance, behind METRICS_TOKEN or the loopback rule.
import type { Response, Router } from 'express';
import { bearerTokenOf } from '../server/client-address';
import { exactRouter } from '../server/exact-router';
import type { GatewayMetrics } from './gateway-metrics';
import { metricsAccessFor, type MetricsAccessPolicy } from './metrics-access';

export function metricsRouter(metrics: GatewayMetrics, policy: MetricsAccessPolicy): Router {
  const router = exactRouter();
  router.get('/metrics', async (request, response) => {
    response.setHeader('cache-control', 'no-store');
    const isForwarded = ['forwarded', 'x-forwarded-for', 'x-real-ip'].some((name) => request.headers[name] !== undefined);
    const access = metricsAccessFor(policy, { bearerToken: bearerTokenOf(request), socketAddress: request.socket.remoteAddress, isForwarded });
    if (access === 'needs-token') {
      response.setHeader('www-authenticate', 'Bearer realm="metrics"');
      return refuse(response, 401, 'Metrics need the METRICS_TOKEN bearer token.');
    }
    if (access === 'loopback-only') return refuse(response, 403, 'Metrics are served only on this host; set METRICS_TOKEN to scrape from elsewhere.');
    const { contentType, body } = await metrics.exposition();
    response.setHeader('content-type', contentType);
    response.send(body);
  });
  return router;
}

function refuse(response: Response, status: number, message: string): void {
  response.status(status).type('text/plain').send(message + '\n');
}
