// One log line per plain HTTP request (healthz, metrics, the OAuth callback): the path only, since query strings carry codes and states.
import { Router } from 'express';
import type { Logger } from 'pino';
import { requestIdOf } from '../server/request-id';

/** /graphql never reaches express (src/server/graphql-endpoint.ts): the operation-report plugin logs it, knowing the operation. */
export function accessLogRouter(logger: Logger): Router {
  const router = Router();
  router.use((request, response, next) => {
    const startedAt = performance.now();
    const requestId = requestIdOf(response);
    // Read now: a router mounted on a path (the IDE's files) strips it from the request while it answers.
    const path = request.path;
    response.on('finish', () => {
      logger.info(
        {
          requestId,
          method: request.method,
          path,
          status: response.statusCode,
          durationMs: Math.round((performance.now() - startedAt) * 100) / 100,
        },
        'http request',
      );
    });
    next();
  });
  return router;
}
