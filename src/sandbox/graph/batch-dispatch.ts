// Runs each batch item as its own HTTPS request to this sandbox, so it passes the same pipeline as any Graph request:
// counters, authentication, throttling, injected faults and routes. A per-sandbox secret marks these requests.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import https from 'node:https';
import type { Request } from 'express';
import type { BatchItem, BatchItemDispatch, BatchItemResponse } from './batch-route';

const ITEM_HEADER = 'x-sandbox-batch-item';

/** The response headers a batch item passes on, in Graph's spelling. */
const PASSED_HEADERS: Record<string, string> = {
  'content-type': 'Content-Type', 'retry-after': 'Retry-After', 'preference-applied': 'Preference-Applied', etag: 'ETag', location: 'Location',
};

export interface BatchItems {
  dispatch: BatchItemDispatch;
  /** True for a request this sandbox sent for a batch item (it runs inside the batch's concurrency slot). */
  isItem(req: Request): boolean;
}

export function loopbackBatchItems(graphBaseUrl: () => string, caPem: string): BatchItems {
  const secret = Buffer.from(randomBytes(16).toString('hex'));
  return {
    isItem: (req) => {
      const given = Buffer.from(req.get(ITEM_HEADER) ?? '');
      return given.length === secret.length && timingSafeEqual(given, secret);
    },
    dispatch: (version, item, authorization) => send(new URL(`${graphBaseUrl()}/${version}/${item.url.replace(/^\/+/, '')}`), item, {
      ...item.headers, ...(authorization ? { authorization } : {}), [ITEM_HEADER]: secret.toString(),
    }, caPem),
  };
}

function send(url: URL, item: BatchItem, headers: Record<string, string>, caPem: string): Promise<BatchItemResponse> {
  const payload = item.body === undefined ? undefined : typeof item.body === 'string' ? item.body : JSON.stringify(item.body);
  return new Promise((resolve, reject) => {
    const request = https.request(url, { method: item.method, headers, ca: caPem, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const passed: Record<string, string> = {};
        for (const [name, spelled] of Object.entries(PASSED_HEADERS)) {
          const value = response.headers[name];
          if (value !== undefined) passed[spelled] = String(value);
        }
        const text = Buffer.concat(chunks).toString('utf8');
        const isJson = /json/i.test(String(response.headers['content-type'] ?? '')) && text.length > 0;
        resolve({ id: item.id, status: response.statusCode ?? 500, headers: passed, ...(isJson ? { body: JSON.parse(text) } : {}) });
      });
    });
    request.on('error', reject);
    request.end(payload);
  });
}
