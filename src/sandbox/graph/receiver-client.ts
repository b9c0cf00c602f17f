// Posts to notification receivers: HTTPS as Graph requires, plain HTTP only to loopback hosts (a sandbox relaxation).
import http from 'node:http';
import https from 'node:https';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
/** Receivers answer with a token or nothing; a larger answer is cut off rather than buffered. */
const MAX_ANSWER_BYTES = 64 * 1024;

export interface ReceiverAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** Why a URL cannot receive notifications, or undefined when it can. */
export function receiverUrlProblem(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return 'must be a URL';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be a URL';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return 'must use https (the sandbox also accepts http on 127.0.0.1, ::1 and localhost)';
}

/** One POST with a deadline; rejects on network errors and timeouts. Loopback http needs no certificate authority. */
export function postToReceiver(url: string, body: string, contentType: string, timeoutMs: number, signal?: AbortSignal): Promise<ReceiverAnswer> {
  const target = new URL(url);
  const transport = target.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const request = transport.request(target, {
      method: 'POST',
      // A fresh connection each time: no pooled socket outlives a test's receiver or the sandbox.
      agent: false,
      headers: { 'content-type': contentType, 'content-length': Buffer.byteLength(body) },
      signal,
    }, (response) => {
      const chunks: Buffer[] = [];
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received <= MAX_ANSWER_BYTES) chunks.push(chunk);
      });
      response.on('error', reject);
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, contentType: String(response.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    const timer = setTimeout(() => request.destroy(new ReceiverTimeout()), timeoutMs);
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(body);
  });
}

export class ReceiverTimeout extends Error {
  constructor() {
    super('The receiver did not answer in time.');
  }
}
