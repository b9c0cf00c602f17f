// One query-string parameter of a plain HTTP request, only when it appears once as a string.
import type { Request } from 'express';

export function queryValue(request: Request, name: string): string | undefined {
  const value = request.query[name];
  return typeof value === 'string' ? value : undefined;
}
