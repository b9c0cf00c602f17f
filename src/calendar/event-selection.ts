// Which Graph event fields an `events` query needs: Graph is asked ($select) only for what the query selects.
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { EVENT_FIELDS } from './event.mapper';

type GraphEventField = (typeof EVENT_FIELDS)[number];

/** The Graph fields each Event field is read from (see toEvent). */
const GRAPH_FIELDS_OF: Readonly<Record<string, readonly GraphEventField[]>> = {
  id: ['id'], subject: ['subject'], bodyPreview: ['bodyPreview'], body: ['body'], start: ['start'], end: ['end'],
  isAllDay: ['isAllDay'], isCancelled: ['isCancelled'], location: ['location'], attendees: ['attendees'],
  organizer: ['organizer'], isOnlineMeeting: ['isOnlineMeeting'], onlineMeetingUrl: ['onlineMeeting', 'onlineMeetingUrl'],
  webLink: ['webLink'], showAs: ['showAs'], importance: ['importance'], seriesMasterId: ['seriesMasterId'], type: ['type'],
  changeKey: ['changeKey'], recurrence: ['recurrence'], originalStart: ['originalStart'], responseStatus: ['responseStatus'],
  onlineMeetingJoinUrl: ['onlineMeeting'],
  // calendarView cannot $select these two; they stay null in a list, as before.
  createdAt: [], lastModifiedAt: [],
};

/** Always asked: toEvent reads them whatever the query selects. */
const ALWAYS: readonly GraphEventField[] = ['id', 'start', 'end'];

/** The $select for these Event fields, in EVENT_FIELDS order; unknown names (such as __typename) add nothing. */
export function graphFieldsForEventFields(eventFields: Iterable<string>): GraphEventField[] {
  const wanted = new Set<GraphEventField>(ALWAYS);
  for (const field of eventFields) for (const graphField of GRAPH_FIELDS_OF[field] ?? []) wanted.add(graphField);
  return EVENT_FIELDS.filter((field) => wanted.has(field));
}

/**
 * The Event fields selected under `nodes` of the EventConnection this resolver answers, through fragments and aliases.
 * Fields under @include/@skip count as selected (asking Graph for a field too many is harmless).
 */
export function selectedEventFields(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): Set<string> {
  const eventFields = new Set<string>();
  // One set of flattened fragments per level, for the whole request: only the union of names matters, so a fragment
  // is walked once however many spreads (or `nodes` fields) reach it, and fragments that each spread the next twice
  // cost a walk of each fragment, not of 2^n paths.
  const connectionFragments = new Set<string>();
  const eventFragments = new Set<string>();
  for (const connectionField of info.fieldNodes) {
    for (const nodesField of fieldsIn(connectionField.selectionSet, info.fragments, connectionFragments)) {
      if (nodesField.name !== 'nodes') continue;
      for (const eventField of fieldsIn(nodesField.selectionSet, info.fragments, eventFragments)) eventFields.add(eventField.name);
    }
  }
  return eventFields;
}

/** The fields of a selection set with fragment spreads and inline fragments flattened, skipping fragments in `visited`. */
function fieldsIn(
  selectionSet: SelectionSetNode | undefined,
  fragments: GraphQLResolveInfo['fragments'],
  visited: Set<string>,
): Array<{ name: string; selectionSet?: SelectionSetNode }> {
  const fields: Array<{ name: string; selectionSet?: SelectionSetNode }> = [];
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      fields.push({ name: selection.name.value, selectionSet: selection.selectionSet });
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      fields.push(...fieldsIn(selection.selectionSet, fragments, visited));
    } else if (!visited.has(selection.name.value)) {
      visited.add(selection.name.value);
      fields.push(...fieldsIn(fragments[selection.name.value]?.selectionSet, fragments, visited));
    }
  }
  return fields;
}
