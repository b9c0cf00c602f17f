// GET /metrics: the Prometheus exposition of this instance.
import { Router } from 'express';
import type { GatewayMetrics } from './gateway-metrics';

export function metricsRouter(metrics: GatewayMetrics): Router {
  const router = Router();
  router.get('/metrics', async (_request, response) => {
    const { contentType, body } = await metrics.exposition();
    response.setHeader('content-type', contentType);
    response.setHeader('cache-control', 'no-store');
    response.send(body);
  });
  return router;
}
