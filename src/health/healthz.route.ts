// GET /healthz for load balancers: 200 when the database answers, 503 otherwise.
import type { Router } from 'express';
import { HealthStatus } from '../graphql/enums';
import type { HealthService } from './health.service';
import { exactRouter } from '../server/exact-router';

export function healthzRouter(health: HealthService): Router {
  const router = exactRouter();
  router.get('/healthz', async (_request, response) => {
    const database = await health.checkDatabase();
    const isUp = database.status !== HealthStatus.DOWN;
    response.status(isUp ? 200 : 503).json({ status: isUp ? 'ok' : 'down' });
  });
  return router;
}
