// Finds the event or occurrence an event id names in a mailbox, with Graph's answers for malformed and unknown ids.
import { decodeItemId, itemIdFromKey } from '../ids';
import { graphFailures } from './graph-errors';
import type { Mailbox, StoredEvent } from './mailbox-store';
import { findOccurrence, type Occurrence } from './recurrence';

export interface ResolvedEvent {
  event: StoredEvent;
  occurrence?: Occurrence;
}

/** Malformed ids are 400 ErrorInvalidIdMalformed; well-formed ids of nothing in this mailbox are 404. */
export function resolveEvent(mailbox: Mailbox, id: string): ResolvedEvent {
  const decoded = decodeItemId(id);
  if (!decoded || decoded.kind === 'calendar') throw graphFailures.idMalformed();
  const event = mailbox.eventByKey(decoded.key);
  if (!event || itemIdFromKey('event', decoded.key) !== event.id) throw graphFailures.itemNotFound();
  if (decoded.kind === 'event') return { event };
  const occurrence = event.recurrence ? findOccurrence(event, decoded.occurrenceDay!) : undefined;
  if (!occurrence) throw graphFailures.itemNotFound();
  return { event, occurrence };
}

