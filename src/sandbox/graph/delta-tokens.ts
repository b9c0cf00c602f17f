// Sync state for calendarView delta: paging rounds ($skiptoken) and the window's contents at each $deltatoken.
// https://learn.microsoft.com/graph/delta-query-events
import { randomBytes } from 'node:crypto';

/** What a round of delta queries covers; a token of another user or app is simply unknown. */
export interface DeltaWindow {
  userId: string;
  appId: string;
  calendarId: string;
  startMs: number;
  endMs: number;
}

export interface DeltaTokenRecord extends DeltaWindow {
  token: string;
  /** Item id → changeKey of everything in the window when the token was issued. */
  seen: Record<string, string>;
}

export interface DeltaRound extends DeltaWindow {
  id: string;
  /** Rendered once when the round starts, so later pages are consistent with the first. */
  entries: Record<string, unknown>[];
  seen: Record<string, string>;
  pageSize: number;
  deltaToken?: string;
}

/** Old tokens and rounds of a user beyond these are forgotten (their next use answers syncStateNotFound). */
const TOKENS_PER_USER = 50;
const ROUNDS_PER_USER = 20;

const randomToken = () => randomBytes(24).toString('base64url');

function keepNewest<T extends { userId: string }>(map: Map<string, T>, userId: string, limit: number): void {
  const keys = [...map].filter(([, value]) => value.userId === userId).map(([key]) => key);
  for (const key of keys.slice(0, Math.max(0, keys.length - limit))) map.delete(key);
}

const isOwnedBy = (window: DeltaWindow | undefined, userId: string, appId: string) => window?.userId === userId && window.appId === appId;

export class DeltaTokenStore {
  private readonly tokens = new Map<string, DeltaTokenRecord>();
  private readonly rounds = new Map<string, DeltaRound>();

  constructor(saved: DeltaTokenRecord[] = []) {
    for (const record of saved) this.tokens.set(record.token, record);
  }

  startRound(window: DeltaWindow, entries: DeltaRound['entries'], seen: DeltaRound['seen'], pageSize: number): DeltaRound {
    const round: DeltaRound = { ...window, id: randomToken(), entries, seen, pageSize };
    this.rounds.set(round.id, round);
    keepNewest(this.rounds, window.userId, ROUNDS_PER_USER);
    return round;
  }

  round(id: string, userId: string, appId: string): DeltaRound | undefined {
    const round = this.rounds.get(id);
    return isOwnedBy(round, userId, appId) ? round : undefined;
  }

  /** The round's delta token, issued once (a repeated last page gets the same one). */
  deltaTokenFor(round: DeltaRound): string {
    if (!round.deltaToken) {
      const { userId, appId, calendarId, startMs, endMs, seen } = round;
      round.deltaToken = randomToken();
      this.tokens.set(round.deltaToken, { token: round.deltaToken, userId, appId, calendarId, startMs, endMs, seen });
      keepNewest(this.tokens, userId, TOKENS_PER_USER);
    }
    return round.deltaToken;
  }

  token(token: string, userId: string, appId: string): DeltaTokenRecord | undefined {
    const record = this.tokens.get(token);
    return isOwnedBy(record, userId, appId) ? record : undefined;
  }

  forgetUser(userId: string): void {
    for (const map of [this.tokens, this.rounds] as Map<string, { userId: string }>[]) {
      for (const [key, value] of map) if (value.userId === userId) map.delete(key);
    }
  }

  snapshot(): DeltaTokenRecord[] {
    return [...this.tokens.values()];
  }
}

/** $skiptoken: the round and the offset of the next page, opaque to clients. */
export function encodeSkipToken(roundId: string, offset: number): string {
  return Buffer.from(JSON.stringify({ round: roundId, offset })).toString('base64url');
}

export function decodeSkipToken(raw: string): { roundId: string; offset: number } | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { round?: unknown; offset?: unknown };
    if (typeof parsed.round === 'string' && Number.isInteger(parsed.offset) && (parsed.offset as number) >= 0) return { roundId: parsed.round, offset: parsed.offset as number };
  } catch {
    // Not one of ours: unknown sync state.
  }
  return undefined;
}
