// Opaque, integrity-protected paging cursors for `events` and `eventInstances`: they carry only Graph's paging position,
// bound by HMAC to the user, channel, calendar or series and window, so a client can neither forge one nor make the gateway fetch a URL it chose.
import { createHmac } from 'node:crypto';
import { errors } from '../errors/gateway-errors';
import { constantTimeEquals, hmacBase64Url } from '../crypto/secrets';

export interface CursorBinding {
  userId: string;
  channel: string;
  calendarId: string | null;
  /** Set for the instances of a series: a cursor of one series (or of calendarView) never pages another. */
  seriesMasterId?: string;
  start: Date;
  end: Date;
}

/** Where the next page starts: Graph's $skip offset or its $skiptoken, whichever its nextLink used. */
export type PagePosition = { skip: number } | { skipToken: string };

const VERSION = 'e1';
const MAX_CURSOR_LENGTH = 4096;

export class EventCursorCodec {
  private readonly key: Buffer;

  /** The key is derived from the server secret for this one purpose. */
  constructor(secretKey: Buffer) {
    this.key = createHmac('sha256', secretKey).update('gateway/events-cursor/v1').digest();
  }

  encode(binding: CursorBinding, position: PagePosition): string {
    const payload = Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
    return `${VERSION}.${payload}.${this.sign(binding, payload)}`;
  }

  /** The position a cursor carries, or BAD_USER_INPUT on `after` when it is malformed, forged or bound elsewhere. */
  decode(binding: CursorBinding, cursor: string): PagePosition {
    const invalid = () => errors.badUserInput('after', 'after is not a cursor this query returned; start again without after.');
    if (typeof cursor !== 'string' || cursor.length > MAX_CURSOR_LENGTH) throw invalid();
    const [version, payload, signature, ...rest] = cursor.split('.');
    if (version !== VERSION || !payload || !signature || rest.length > 0) throw invalid();
    if (!constantTimeEquals(signature, this.sign(binding, payload))) throw invalid();
    const position = parsePosition(Buffer.from(payload, 'base64url').toString('utf8'));
    if (!position) throw invalid();
    return position;
  }

  private sign(binding: CursorBinding, payload: string): string {
    const series = binding.seriesMasterId ? [`series:${binding.seriesMasterId}`] : [];
    const bound = [binding.userId, binding.channel, binding.calendarId ?? '', ...series, binding.start.toISOString(), binding.end.toISOString(), payload];
    return hmacBase64Url(this.key, JSON.stringify(bound));
  }
}

function parsePosition(json: string): PagePosition | undefined {
  try {
    const value = JSON.parse(json) as Record<string, unknown>;
    if (Number.isInteger(value.skip) && (value.skip as number) >= 0) return { skip: value.skip as number };
    if (typeof value.skipToken === 'string' && value.skipToken.length > 0) return { skipToken: value.skipToken };
  } catch {
    // Falls through to "invalid".
  }
  return undefined;
}

/** Reads only the paging position out of Graph's @odata.nextLink; the rest of that URL is never reused. */
export function positionFromNextLink(nextLink: string, fallbackSkip: number): PagePosition {
  try {
    const params = new URL(nextLink).searchParams;
    for (const [name, value] of params) {
      const lower = name.toLowerCase();
      if (lower === '$skiptoken' && value) return { skipToken: value };
      if (lower === '$skip' && /^\d+$/.test(value)) return { skip: Number(value) };
    }
  } catch {
    // An unreadable nextLink: page on by offset.
  }
  return { skip: fallbackSkip };
}
