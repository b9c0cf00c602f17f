// The floor of the framework comparison: Apollo Server 5 on the gateway's own HTTP stack (node:http with the /graphql
// endpoint of src/server, express for the rest), answering one field, with no plugin, context or logging of ours.
import { ApolloServer } from '@apollo/server';
import express from 'express';
import { createServer } from 'node:http';
import pino from 'pino';
import { createGraphQLEndpoint, isGraphQLPath } from '../../src/server/graphql-endpoint';

async function main(): Promise<void> {
  const apollo = new ApolloServer({ typeDefs: 'type Query { viewer: String }', resolvers: { Query: { viewer: () => null } } });
  await apollo.start();
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_request, response) => { response.json({ status: 'ok' }); });
  const graphql = createGraphQLEndpoint({ apollo, logger: pino({ level: 'warn' }), createContext: async () => ({}) });
  const server = createServer((request, response) => (isGraphQLPath(request.url) ? graphql(request, response) : app(request, response)));
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
  process.on('SIGTERM', () => { void apollo.stop().then(() => server.close(() => process.exit(0))); });
}

void main();
