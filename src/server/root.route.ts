// GET /: where a person who opens the gateway's address lands, rather than "Cannot GET /".
import { Router } from 'express';

export const ROOT_TEXT = 'ms-graph-gateway: GraphQL at /graphql\n';

/** Outside production to the IDE at /graphql; in production one line, since there is no IDE to show. */
export function rootRouter(isProduction: boolean, graphqlPath: string): Router {
  const router = Router();
  router.get('/', (_request, response) => {
    if (!isProduction) return response.redirect(302, graphqlPath);
    response.type('text/plain').set('Cache-Control', 'no-cache').send(ROOT_TEXT);
  });
  return router;
}
