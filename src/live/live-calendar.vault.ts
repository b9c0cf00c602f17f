// Encrypts what a synced calendar keeps at rest (clientState, deltaLink, events), each bound to its user, channel and purpose.
import type { TokenCipher } from '../crypto/token-cipher';
import type { GraphEvent } from '../calendar/event.mapper';

export class LiveCalendarVault {
  constructor(private readonly cipher: TokenCipher) {}

  sealClientState(channel: string, userId: string, clientState: string): string {
    return this.cipher.encrypt(clientState, `calendar-client-state:${channel}:${userId}`);
  }

  openClientState(channel: string, userId: string, envelope: string): string {
    return this.cipher.decrypt(envelope, `calendar-client-state:${channel}:${userId}`);
  }

  sealDeltaLink(channel: string, userId: string, deltaLink: string): string {
    return this.cipher.encrypt(deltaLink, `calendar-delta-link:${channel}:${userId}`);
  }

  openDeltaLink(channel: string, userId: string, envelope: string): string {
    return this.cipher.decrypt(envelope, `calendar-delta-link:${channel}:${userId}`);
  }

  /** Bound to the event id too: a row copied onto another event's id does not decrypt. */
  sealEvent(channel: string, userId: string, event: GraphEvent): string {
    return this.cipher.encrypt(JSON.stringify(event), `calendar-event:${channel}:${userId}:${event.id}`);
  }

  openEvent(channel: string, userId: string, eventId: string, envelope: string): GraphEvent {
    return JSON.parse(this.cipher.decrypt(envelope, `calendar-event:${channel}:${userId}:${eventId}`)) as GraphEvent;
  }
}
