// GET /graphql in a browser shows the GraphQL IDE outside production; its files are served under /graphql-ide/.
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { ApolloServerPlugin } from '@apollo/server';
import express, { Router } from 'express';
import { dirname, join } from 'node:path';
import type { GatewayConfig } from '../config/config.types';
import { IDE_ASSETS_PATH, IDE_PAGE_HEADERS, IDE_START_SCRIPT, IDE_START_SCRIPT_SOURCE, idePageHtml } from './ide.page';
import type { NodeMiddleware } from './node-middleware';

export type GraphQLIde = GatewayConfig['graphqlIde'];

/** `?ide=apollo` or `?ide=ruru` picks the IDE for one visit; GRAPHQL_IDE picks the default. */
function chosenIde(url: string | undefined, byDefault: GraphQLIde): GraphQLIde {
  const query = url?.includes('?') ? new URLSearchParams(url.slice(url.indexOf('?') + 1)) : undefined;
  const asked = query?.get('ide');
  return asked === 'apollo' || asked === 'ruru' ? asked : byDefault;
}

function prefersHtml(accept: string | undefined): boolean {
  return accept !== undefined && accept.includes('text/html');
}

/**
 * Answers a browser's GET /graphql with ruru's page; everything else (and `?ide=apollo`) goes on to Apollo, which
 * shows Apollo Sandbox to a browser outside production. Undefined in production and with GRAPHQL_IDE=off.
 */
export function createIdeMiddleware(ide: GraphQLIde, isProduction: boolean, graphqlPath: string): NodeMiddleware | undefined {
  if (isProduction || ide === 'off') return undefined;
  let page: string | undefined;
  return (request, response, next) => {
    if (request.method !== 'GET' || !prefersHtml(request.headers.accept) || chosenIde(request.url, ide) !== 'ruru') return next();
    page ??= idePageHtml(graphqlPath);
    response.writeHead(200, IDE_PAGE_HEADERS);
    response.end(page);
  };
}

/**
 * The folder of built files that ruru's package ships (its `static/`, beside the code that `ruru/server` resolves to).
 * Served from disk: ruru's own serveStatic loads them through a dynamic import(), which jest's module sandbox refuses.
 */
function ruruStaticFolder(): string {
  return join(dirname(require.resolve('ruru/server')), '..', 'static');
}

/** ruru's own files and the page's start script, under IDE_ASSETS_PATH. */
export function ideAssetsRouter(ide: GraphQLIde, isProduction: boolean): Router {
  const router = Router();
  if (isProduction || ide === 'off') return router;
  router.get(`${IDE_ASSETS_PATH}${IDE_START_SCRIPT}`, (_request, response) => {
    response.set({ 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' });
    response.send(IDE_START_SCRIPT_SOURCE);
  });
  router.use(IDE_ASSETS_PATH, express.static(ruruStaticFolder(), {
      index: false,
      redirect: false,
      dotfiles: 'deny',
      setHeaders: (response) => response.setHeader('X-Content-Type-Options', 'nosniff'),
    }));
  return router;
}

/** Where the signed-in page sends a person to try the API with their session (ruru reads `#session_token=`); none without ruru. */
export function ideLinkFor(ide: GraphQLIde, isProduction: boolean, graphqlPath: string): string | undefined {
  if (isProduction || ide === 'off') return undefined;
  return ide === 'ruru' ? graphqlPath : `${graphqlPath}?ide=ruru`;
}

/** Apollo's own landing page (Apollo Sandbox) stays on outside production unless GRAPHQL_IDE=off turns every IDE off. */
export function landingPagePlugins<TContext extends object>(ide: GraphQLIde, isProduction: boolean): ApolloServerPlugin<TContext>[] {
  return !isProduction && ide === 'off' ? [ApolloServerPluginLandingPageDisabled()] : [];
}
