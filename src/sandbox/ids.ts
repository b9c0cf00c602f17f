// Identifiers in the shapes Microsoft uses: GUIDs, opaque tokens, and Exchange-style base64 item ids.
import { randomBytes, randomUUID } from 'node:crypto';

export const newGuid = (): string => randomUUID();

export const opaqueToken = (prefix: string, bytes = 48): string => `${prefix}${randomBytes(bytes).toString('base64url')}`;

/** Exchange item ids start with 'AAMkAG' and use base64 with '-' and '_' (Graph returns them URL-safe). */
const EXCHANGE_PREFIX = 'AAMkAG';
// Graph also hands out and accepts the standard-base64 spelling ('+', '/'): both decode to the same item.
const EXCHANGE_ID = /^AAMkAG[A-Za-z0-9_+/-]+={0,2}$/;

export type ItemKind = 'calendar' | 'event' | 'occurrence';
const KIND_BYTE: Record<ItemKind, number> = { calendar: 0x43, event: 0x45, occurrence: 0x4f };

export interface DecodedItemId {
  kind: ItemKind;
  key: string; // 32 hex characters
  /** For occurrences: the occurrence's original start as days since the epoch in the series' zone. */
  occurrenceDay?: number;
}

function encode(payload: Buffer): string {
  return EXCHANGE_PREFIX + payload.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

export function newItemId(kind: 'calendar' | 'event'): string {
  return encode(Buffer.concat([Buffer.from([KIND_BYTE[kind]]), randomBytes(16)]));
}

export function occurrenceId(seriesMasterId: string, occurrenceDay: number): string {
  const master = decodeItemId(seriesMasterId);
  if (!master) throw new RangeError('Not an item id');
  const day = Buffer.alloc(4);
  day.writeInt32BE(occurrenceDay);
  return encode(Buffer.concat([Buffer.from([KIND_BYTE.occurrence]), Buffer.from(master.key, 'hex'), day]));
}

/** The parts of an id this sandbox issued, or null when the id is malformed (Graph: ErrorInvalidIdMalformed). */
export function decodeItemId(id: string): DecodedItemId | null {
  if (!EXCHANGE_ID.test(id)) return null;
  const payload = Buffer.from(id.slice(EXCHANGE_PREFIX.length).replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  const kind = (Object.keys(KIND_BYTE) as ItemKind[]).find((candidate) => KIND_BYTE[candidate] === payload[0]);
  if (!kind) return null;
  const expectedLength = kind === 'occurrence' ? 21 : 17;
  if (payload.length !== expectedLength) return null;
  const key = payload.subarray(1, 17).toString('hex');
  return kind === 'occurrence' ? { kind, key, occurrenceDay: payload.readInt32BE(17) } : { kind, key };
}

/** The id of the event or calendar a decoded id's key belongs to. */
export function itemIdFromKey(kind: 'calendar' | 'event', key: string): string {
  return encode(Buffer.concat([Buffer.from([KIND_BYTE[kind]]), Buffer.from(key, 'hex')]));
}
