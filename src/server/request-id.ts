// Request ids: kept from the caller's x-request-id when harmless, else made here; echoed on every answer.
import { randomUUID } from 'node:crypto';
import type { Response } from 'express';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Keeps a caller's x-request-id when it is harmless, else makes one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && SAFE_REQUEST_ID.test(value) ? value : randomUUID();
}

/** The id the request-id middleware gave a plain (non-GraphQL) route's response. */
export function requestIdOf(response: Response): string | undefined {
  const requestId: unknown = response.locals.requestId;
  return typeof requestId === 'string' ? requestId : undefined;
}
