// Graph's fixed value sets on events as GraphQL enums; each value is Graph's wire spelling, UNKNOWN stands for later additions.
// https://learn.microsoft.com/graph/api/resources/event, https://learn.microsoft.com/graph/api/resources/responsestatus
import { registerEnumType } from 'type-graphql';

export enum ShowAs {
  FREE = 'free',
  TENTATIVE = 'tentative',
  BUSY = 'busy',
  OOF = 'oof',
  WORKING_ELSEWHERE = 'workingElsewhere',
  UNKNOWN = 'unknown',
}

export enum Importance {
  LOW = 'low',
  NORMAL = 'normal',
  HIGH = 'high',
  UNKNOWN = 'unknown',
}

export enum EventType {
  SINGLE_INSTANCE = 'singleInstance',
  OCCURRENCE = 'occurrence',
  EXCEPTION = 'exception',
  SERIES_MASTER = 'seriesMaster',
  UNKNOWN = 'unknown',
}

export enum ResponseStatus {
  NONE = 'none',
  ORGANIZER = 'organizer',
  TENTATIVELY_ACCEPTED = 'tentativelyAccepted',
  ACCEPTED = 'accepted',
  DECLINED = 'declined',
  NOT_RESPONDED = 'notResponded',
  UNKNOWN = 'unknown',
}

/** The caller's answer to a meeting request; each value is the Graph action that sends it. https://learn.microsoft.com/graph/api/event-accept */
export enum EventResponse {
  ACCEPT = 'accept',
  TENTATIVELY_ACCEPT = 'tentativelyAccept',
  DECLINE = 'decline',
}

const UNKNOWN_LATER = 'UNKNOWN stands for any value Graph adds later.';
registerEnumType(ShowAs, { name: 'ShowAs', description: `How the event shows on the owner's free/busy. ${UNKNOWN_LATER}` });
registerEnumType(Importance, { name: 'Importance', description: `Graph's importance of an event. ${UNKNOWN_LATER}` });
registerEnumType(EventType, { name: 'EventType', description: `Graph's event types. ${UNKNOWN_LATER}` });
registerEnumType(ResponseStatus, { name: 'ResponseStatus', description: `A response to a meeting request. ${UNKNOWN_LATER}` });
registerEnumType(EventResponse, { name: 'EventResponse', description: 'How the caller answers a meeting request.' });

type WireEnum = Record<string, string> & { UNKNOWN: string };

/**
 * The enum value for Graph's wire value (case-insensitive); UNKNOWN for a value this gateway does not know yet, so a
 * value Microsoft adds never fails a query; null when Graph gave none.
 */
export function fromGraphValue<E extends WireEnum>(values: E, wire: string | null | undefined): E[keyof E] | null {
  if (wire === null || wire === undefined) return null;
  const lower = String(wire).toLowerCase();
  return (Object.values(values).find((value) => value.toLowerCase() === lower) ?? values.UNKNOWN) as E[keyof E];
}
