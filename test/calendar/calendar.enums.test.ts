import { EventType, fromGraphValue, Importance, ResponseStatus, ShowAs } from '../../src/calendar/calendar.enums';

describe("fromGraphValue (Graph's value sets as enums)", () => {
  it.each([
    [ShowAs, 'free', ShowAs.FREE], [ShowAs, 'workingElsewhere', ShowAs.WORKING_ELSEWHERE], [ShowAs, 'unknown', ShowAs.UNKNOWN],
    [ShowAs, 'focusTime', ShowAs.UNKNOWN], [Importance, 'high', Importance.HIGH], [Importance, 'critical', Importance.UNKNOWN],
    [EventType, 'seriesMaster', EventType.SERIES_MASTER], [EventType, 'SingleInstance', EventType.SINGLE_INSTANCE], [EventType, 'draftInstance', EventType.UNKNOWN],
    [ResponseStatus, 'tentativelyAccepted', ResponseStatus.TENTATIVELY_ACCEPTED], [ResponseStatus, 'notResponded', ResponseStatus.NOT_RESPONDED],
    [ResponseStatus, 'maybeLater', ResponseStatus.UNKNOWN], [ShowAs, '', ShowAs.UNKNOWN],
  ] as const)('%#: %p → %p', (values, wire, expected) => {
    expect(fromGraphValue(values as Record<string, string> & { UNKNOWN: string }, wire)).toBe(expected);
  });

  it('is null when Graph gave no value', () => {
    expect(fromGraphValue(ShowAs, null)).toBeNull();
    expect(fromGraphValue(ShowAs, undefined)).toBeNull();
  });
});
