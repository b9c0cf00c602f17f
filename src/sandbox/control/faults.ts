// Injected faults and artificial latency, and the express middleware that applies them to a surface.
import type { NextFunction, Request, Response } from 'express';
import type { FaultSpec } from '../types';

interface PendingFault extends FaultSpec {
  remaining: number;
}

interface LatencyRule {
  ms: number;
  path?: string;
}

export type FaultRenderer = (res: Response, status: number, retryAfterSeconds: number | undefined) => void;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class FaultBook {
  private faults: PendingFault[] = [];
  private latencies: LatencyRule[] = [];

  inject(fault: FaultSpec): void {
    if (!Number.isInteger(fault.status) || (fault.status !== 0 && (fault.status < 100 || fault.status > 599))) {
      throw new RangeError('fault.status must be an HTTP status (or 0 for a delay only)');
    }
    this.faults.push({ ...fault, remaining: fault.count ?? 1 });
  }

  /** Latency for every request whose path contains `path` (all requests without one); 0 removes the rule. */
  setLatency(ms: number, path?: string): void {
    this.latencies = this.latencies.filter((rule) => rule.path !== path);
    if (ms > 0) this.latencies.push({ ms, path });
  }

  /** Takes the first pending fault that matches, using up one of its count. */
  take(method: string, path: string): FaultSpec | undefined {
    const fault = this.faults.find((candidate) =>
      (!candidate.path || path.includes(candidate.path)) &&
      (!candidate.method || candidate.method.toUpperCase() === method.toUpperCase()));
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((candidate) => candidate !== fault);
    return fault;
  }

  latencyFor(path: string): number {
    return this.latencies.filter((rule) => !rule.path || path.includes(rule.path)).reduce((sum, rule) => sum + rule.ms, 0);
  }

  clear(): void {
    this.faults = [];
    this.latencies = [];
  }
}

/** Applies latency and the next matching fault; `render` writes the surface's own error shape. */
export function applyFaults(book: FaultBook, render: FaultRenderer) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const latency = book.latencyFor(req.path);
    if (latency > 0) await sleep(latency);
    const fault = book.take(req.method, req.path);
    if (!fault) return next();
    if (fault.delayMs) await sleep(fault.delayMs);
    if (!fault.status) return next();
    if (fault.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(fault.retryAfterSeconds));
    if (fault.body !== undefined) {
      res.status(fault.status).json(fault.body);
      return;
    }
    render(res, fault.status, fault.retryAfterSeconds);
  };
}
