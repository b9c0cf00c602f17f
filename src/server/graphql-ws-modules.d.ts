// graphql-ws publishes its ws adapter only through package.json "exports", which this project's "node" module resolution does not read.
declare module 'graphql-ws/use/ws' {
  export * from 'graphql-ws/dist/use/ws.cjs';
}
