// Decides the meeting actions on validated arguments: an attendee's response to a meeting request and the organizer's cancellation.
// Graph answers each with 202 and no body: https://learn.microsoft.com/graph/api/event-accept, event-cancel
import type { ChannelSettings } from '../config/config.types';
import { encodeGraphId, type GraphClients } from '../microsoft/graph-client';
import type { EventResponse } from './calendar.enums';

export interface MeetingResponse {
  response: EventResponse;
  comment?: string | null;
  /** Whether the organizer gets the response (Graph's default: yes). */
  sendResponse?: boolean | null;
}

export class MeetingService {
  constructor(private readonly graph: GraphClients) {}

  /** Graph refuses a response from the organizer and answers with its code (UPSTREAM_REJECTED). */
  async respond(userId: string, { channel }: ChannelSettings, id: string, answer: MeetingResponse): Promise<boolean> {
    const { comment } = answer;
    await this.graph.send<void>(channel, userId, {
      // The enum's value is the action's name: accept, tentativelyAccept or decline.
      method: 'POST', path: `me/events/${encodeGraphId(id)}/${answer.response}`, route: `POST /me/events/{id}/${answer.response}`,
      body: { ...(typeof comment === 'string' ? { comment } : {}), ...(typeof answer.sendResponse === 'boolean' ? { sendResponse: answer.sendResponse } : {}) },
      what: 'The event',
    });
    return true;
  }

  /** Organizer only: Graph refuses an attendee's cancellation and the refusal carries Graph's code (UPSTREAM_REJECTED). */
  async cancel(userId: string, { channel }: ChannelSettings, id: string, comment?: string | null): Promise<boolean> {
    await this.graph.send<void>(channel, userId, {
      method: 'POST', path: `me/events/${encodeGraphId(id)}/cancel`, route: 'POST /me/events/{id}/cancel',
      body: typeof comment === 'string' ? { comment } : {},
      what: 'The event',
    });
    return true;
  }
}
