// Same Apollo Server, two HTTP stacks: express 5 + @as-integrations/express5, and node:http with Apollo's executeHTTPGraphQLRequest.
// The gateway no longer depends on the express integration: `npm install --no-save @as-integrations/express5` first.
const { ApolloServer, HeaderMap } = require('@apollo/server');
let expressMiddleware;
try {
  ({ expressMiddleware } = require('@as-integrations/express5'));
} catch {
  console.error('This comparison needs @as-integrations/express5: npm install --no-save @as-integrations/express5');
  process.exit(2);
}
const express = require('express');
const http = require('node:http');
const autocannon = require('autocannon');

async function start(kind) {
  const apollo = new ApolloServer({ typeDefs: 'type Query { viewer: String }', resolvers: { Query: { viewer: () => null } } });
  await apollo.start();
  let handler;
  if (kind === 'express') {
    const app = express();
    app.use('/graphql', express.json({ limit: '256kb' }), expressMiddleware(apollo));
    handler = app;
  } else {
    handler = (req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', async () => {
        const headers = new HeaderMap();
        for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
        const text = Buffer.concat(chunks).toString('utf8');
        const r = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: { method: req.method, headers, search: '', body: text ? JSON.parse(text) : undefined }, context: async () => ({}) });
        for (const [k, v] of r.headers) res.setHeader(k, v);
        res.statusCode = r.status || 200;
        res.end(r.body.string);
      });
    };
  }
  const server = http.createServer(handler);
  await new Promise((d) => server.listen(0, '127.0.0.1', d));
  return server;
}

(async () => {
  for (const kind of ['express', 'raw', 'express', 'raw']) {
    const server = await start(kind);
    const cpu0 = process.cpuUsage();
    const result = await autocannon({ url: `http://127.0.0.1:${server.address().port}/graphql`, method: 'POST', connections: 32, duration: 4,
      headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ viewer }' }) });
    console.log(kind, Math.round(result.requests.average), 'req/s');
    server.close();
  }
  process.exit(0);
})();
