// Finds what changed in watched mailboxes since the last look: arrivals and departures as the mailbox reports them,
// edits by comparing each event's version with the one seen then (so any route that edits an event is noticed).
import type { MailboxStore, StoredEvent } from './mailbox-store';
import type { ChangeType } from './subscription-store';

export interface EventChange {
  userId: string;
  eventId: string;
  calendarId: string;
  changeType: ChangeType;
  /** The version after the change (the last one seen for a deletion). */
  changeKey: string;
}

interface SeenEvent {
  id: string;
  calendarId: string;
  changeKey: string;
  /** The series' own version plus its exceptions and deleted occurrences, which do not change the master's changeKey. */
  version: string;
}

function seen(event: StoredEvent): SeenEvent {
  const exceptions = Object.entries(event.exceptions).map(([day, override]) => `${day}:${override.changeKey ?? ''}`).join(',');
  return {
    id: event.id,
    calendarId: event.calendarId,
    changeKey: event.changeKey,
    version: `${event.changeKey}|${event.lastModifiedDateTime}|${exceptions}|${event.deletedOccurrenceDays.join(',')}`,
  };
}

const changeOf = (userId: string, event: SeenEvent, changeType: ChangeType): EventChange =>
  ({ userId, eventId: event.id, calendarId: event.calendarId, changeType, changeKey: event.changeKey });

export class ChangeTracker {
  private readonly lastSeen = new Map<string, Map<string, SeenEvent>>();
  /** Events added and removed since the last look, in order: one created and deleted in between is told twice. */
  private journal: EventChange[] = [];

  constructor(private readonly mailboxes: MailboxStore) {
    mailboxes.observe((userId, event, change) => {
      if (this.lastSeen.has(userId)) this.journal.push(changeOf(userId, seen(event), change));
    });
  }

  private look(userId: string): Map<string, SeenEvent> {
    return new Map(this.mailboxes.mailbox(userId).eventsIn().map((event) => [event.key, seen(event)]));
  }

  /** Watches exactly these mailboxes; a newly watched one starts from its current state. */
  watchOnly(userIds: Set<string>): void {
    for (const userId of this.lastSeen.keys()) if (!userIds.has(userId)) this.lastSeen.delete(userId);
    for (const userId of userIds) if (!this.lastSeen.has(userId)) this.lastSeen.set(userId, this.look(userId));
  }

  /** Changes since the previous call; the current state becomes the one to compare with next time. */
  collect(): EventChange[] {
    const changes = this.journal.filter((change) => this.lastSeen.has(change.userId));
    this.journal = [];
    const journaled = new Set(changes.map((change) => change.eventId));
    for (const [userId, before] of this.lastSeen) {
      const now = this.look(userId);
      for (const [key, current] of now) {
        const previous = before.get(key);
        if (previous && previous.version !== current.version && !journaled.has(current.id)) changes.push(changeOf(userId, current, 'updated'));
      }
      this.lastSeen.set(userId, now);
    }
    return changes;
  }
}
