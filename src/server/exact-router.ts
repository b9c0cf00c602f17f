// The express Router every plain route is declared on: paths match exactly, in case and trailing slash.
import { Router } from 'express';

/**
 * express matches `/METRICS` and `/metrics/` for a route declared as `/metrics` by default, which walks past a proxy
 * rule written for `/metrics`. A route here answers only to the path as written.
 */
export function exactRouter(): Router {
  return Router({ caseSensitive: true, strict: true });
}
