// Outlook's per-app, per-mailbox limits: 4 concurrent requests and 10,000 requests per 10 minutes.
// https://learn.microsoft.com/graph/throttling-limits#outlook-service-limits
import type { NextFunction, Request, Response } from 'express';
import type { SandboxState } from '../state';
import { callerOf } from './caller';
import { GraphFailure, sendGraphFailure } from './graph-errors';

interface MailboxUsage {
  inFlight: number;
  windowStartedAt: number;
  requestsInWindow: number;
}

export class MailboxThrottle {
  private readonly usage = new Map<string, MailboxUsage>();

  constructor(private readonly state: SandboxState) {}

  /** Requests for which holdsSlot is false are counted in the window only (the items of a batch, inside the batch's slot). */
  middleware(holdsSlotFor: (req: Request) => boolean = () => true) {
    return (req: Request, res: Response, next: NextFunction): void => {
      const holdsSlot = holdsSlotFor(req);
      const caller = callerOf(res);
      const usage = this.usageFor(`${caller.appId}|${caller.user.id}`);
      const failure = this.admit(usage, holdsSlot);
      if (failure) {
        this.state.counters.throttled();
        sendGraphFailure(req, res, failure, this.state.now());
        return;
      }
      if (!holdsSlot) return next();
      usage.inFlight += 1;
      this.state.counters.concurrency(caller.user.email, usage.inFlight);
      let isReleased = false;
      const release = () => {
        if (!isReleased) usage.inFlight -= 1;
        isReleased = true;
      };
      // Over when the response is handed over: 'finish' can come after the client already read it all and sent more.
      const end = res.end.bind(res);
      res.end = ((...args: Parameters<typeof res.end>) => {
        release();
        return end(...args);
      }) as typeof res.end;
      res.on('close', release);
      next();
    };
  }

  private admit(usage: MailboxUsage, holdsSlot: boolean): GraphFailure | undefined {
    const limits = this.state.throttle;
    const now = this.state.now();
    const windowMs = limits.windowSeconds * 1000;
    if (now - usage.windowStartedAt >= windowMs) {
      usage.windowStartedAt = now;
      usage.requestsInWindow = 0;
    }
    if (holdsSlot && usage.inFlight >= limits.concurrentRequestsPerMailbox) {
      return new GraphFailure(429, 'ApplicationThrottled', 'Application is over its MailboxConcurrency limit.', 1);
    }
    if (usage.requestsInWindow >= limits.requestsPerWindow) {
      const retryAfter = Math.max(1, Math.ceil((usage.windowStartedAt + windowMs - now) / 1000));
      return new GraphFailure(429, 'TooManyRequests', 'Please retry again later.', retryAfter);
    }
    usage.requestsInWindow += 1;
    return undefined;
  }

  private usageFor(key: string): MailboxUsage {
    let usage = this.usage.get(key);
    if (!usage) {
      usage = { inFlight: 0, windowStartedAt: this.state.now(), requestsInWindow: 0 };
      this.usage.set(key, usage);
    }
    return usage;
  }
}
