// The floor of the framework comparison: Apollo Server 5 on the same express 5 stack, answering one field, nothing else.
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { createServer } from 'node:http';

async function main(): Promise<void> {
  const apollo = new ApolloServer({ typeDefs: 'type Query { viewer: String }', resolvers: { Query: { viewer: () => null } } });
  await apollo.start();
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_request, response) => { response.json({ status: 'ok' }); });
  app.use('/graphql', express.json({ limit: '256kb' }), expressMiddleware(apollo));
  const server = createServer(app);
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
  process.on('SIGTERM', () => { void apollo.stop().then(() => server.close(() => process.exit(0))); });
}

void main();
