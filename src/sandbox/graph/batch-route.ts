// JSON batching: POST /$batch runs up to 20 requests, one after another, through the same Graph routes and answers each
// on its own (its own status, headers and body; a 429 inside carries its own Retry-After). https://learn.microsoft.com/graph/json-batching
import { Router, type Request, type Response } from 'express';
import type { BatchItems } from './batch-dispatch';
import { graphErrorBody, graphFailures } from './graph-errors';

/** Graph's limit on requests in one batch. */
export const MAX_BATCH_REQUESTS = 20;

export interface BatchItem {
  id: string;
  method: string;
  /** Relative to the version, e.g. '/me/events?$top=5'. */
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

export interface BatchItemResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** Runs one item through the Graph routes of `version` with the batch's own Authorization header. */
export type BatchItemDispatch = (version: string, item: BatchItem, authorization: string | undefined) => Promise<BatchItemResponse>;

const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);

function readItems(body: unknown): BatchItem[] {
  const requests = (body as { requests?: unknown } | undefined)?.requests;
  if (!Array.isArray(requests) || requests.length === 0) throw graphFailures.badRequest('Invalid batch payload format.');
  if (requests.length > MAX_BATCH_REQUESTS) {
    throw graphFailures.badRequest(`The number of requests in the batch exceeds the limit of ${MAX_BATCH_REQUESTS}.`);
  }
  const seen = new Set<string>();
  return requests.map((raw: Record<string, unknown>) => {
    const item = { ...raw, method: String(raw?.method ?? '').toUpperCase() } as BatchItem;
    if (typeof item.id !== 'string' || item.id.length === 0) throw graphFailures.badRequest('Every request of a batch needs an id.');
    // Ids are not case-sensitive and must be unique.
    const id = item.id.toLowerCase();
    if (seen.has(id)) throw graphFailures.badRequest(`Request id '${item.id}' occurs more than once in the batch.`);
    if (!METHODS.has(item.method)) throw graphFailures.badRequest(`Request '${item.id}' has an unsupported method.`);
    if (typeof item.url !== 'string' || item.url.length === 0 || /^[a-z][a-z0-9+.-]*:/i.test(item.url)) {
      throw graphFailures.badRequest(`Request '${item.id}' needs a relative url.`);
    }
    const hasContentType = Object.keys(item.headers ?? {}).some((name) => name.toLowerCase() === 'content-type');
    if (item.body !== undefined && !hasContentType) throw graphFailures.badRequest(`Request '${item.id}' has a body but no Content-Type header.`);
    for (const dependency of item.dependsOn ?? []) {
      if (!seen.has(String(dependency).toLowerCase())) throw graphFailures.badRequest(`Request '${item.id}' depends on an unknown request.`);
    }
    seen.add(id);
    return item;
  });
}

export function batchRoute(batchItems: BatchItems, now: () => number): Router {
  const router = Router();
  router.post(/^\/\$batch$/, async (req: Request, res: Response) => {
    if (batchItems.isItem(req)) throw graphFailures.badRequest('A batch cannot contain another batch.');
    const items = readItems(req.body);
    const version = String(req.baseUrl.split('/')[1] ?? 'v1.0');
    const succeeded = new Map<string, boolean>();
    const responses: BatchItemResponse[] = [];
    for (const item of items) {
      const isBlocked = (item.dependsOn ?? []).some((dependency) => !succeeded.get(String(dependency).toLowerCase()));
      const response = isBlocked
        ? { id: item.id, status: 424, headers: { 'Content-Type': 'application/json' }, body: graphErrorBody(req, 'FailedDependency', 'A request this one depends on failed.', now()) }
        : await batchItems.dispatch(version, item, req.get('authorization'));
      succeeded.set(item.id.toLowerCase(), response.status >= 200 && response.status < 300);
      responses.push(response);
    }
    // Graph answers in any order; the sandbox answers last first, so no client can come to rely on the order.
    res.json({ responses: responses.reverse() });
  });
  return router;
}
