// ruru publishes its entry points only through package.json "exports", which this project's "node" module resolution does not read.
declare module 'ruru/server' {
  export * from 'ruru/dist/server';
}
