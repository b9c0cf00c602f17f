// GET /healthz for load balancers: 200 when the database answers, 503 otherwise.
import { Router } from 'express';
import { HealthStatus } from '../graphql/enums';
import type { HealthService } from './health.service';

export function healthzRouter(health: HealthService): Router {
  const router = Router();
  router.get('/healthz', async (_request, response) => {
    const database = await health.checkDatabase();
    const isUp = database.status !== HealthStatus.DOWN;
    response.status(isUp ? 200 : 503).json({ status: isUp ? 'ok' : 'down' });
  });
  return router;
}
