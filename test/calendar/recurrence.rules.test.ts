// The rules of a recurring series, run through the validation seam as createEvent's input.recurrence would be.
import { RecurrenceInput, RecurrencePatternInput, RecurrenceRangeInput } from '../../src/calendar/recurrence.types';
import { DayOfWeek, RecurrencePatternType, RecurrenceRangeType } from '../../src/calendar/recurrence.enums';
import { inputValidator } from '../../src/graphql/input-validation';

const validateArgs = inputValidator({ allowedReturnOrigins: [] });

/** As type-graphql hands them over: class instances all the way down. */
const recurrence = (pattern: Partial<RecurrencePatternInput>, range: Partial<RecurrenceRangeInput> = {}) => Object.assign(new RecurrenceInput(), {
  pattern: Object.assign(new RecurrencePatternInput(), { type: RecurrencePatternType.DAILY, interval: 1, ...pattern }),
  range: Object.assign(new RecurrenceRangeInput(), { type: RecurrenceRangeType.NO_END, startDate: '2026-03-23', ...range }),
});

/** The `fields` of the BAD_USER_INPUT the series gets, or [] when it passes. */
async function failingFields(input: RecurrenceInput): Promise<string[]> {
  try {
    await validateArgs(input);
    return [];
  } catch (error) {
    const extensions = (error as { extensions?: { code?: string; fields?: Array<{ field: string }> } }).extensions;
    if (extensions?.code !== 'BAD_USER_INPUT') throw error;
    return extensions.fields!.map((failure) => failure.field);
  }
}

const { DAILY, WEEKLY, ABSOLUTE_MONTHLY, RELATIVE_MONTHLY, ABSOLUTE_YEARLY, RELATIVE_YEARLY } = RecurrencePatternType;
const { END_DATE, NUMBERED } = RecurrenceRangeType;

describe('recurrence rules', () => {
  it.each<[string, RecurrenceInput, string[]]>([
    ['a daily series', recurrence({}), []],
    ['a weekly series on Mondays', recurrence({ type: WEEKLY, daysOfWeek: [DayOfWeek.MONDAY] }), []],
    ['an absolute yearly series', recurrence({ type: ABSOLUTE_YEARLY, dayOfMonth: 23, month: 3 }), []],
    ['a relative monthly series', recurrence({ type: RELATIVE_MONTHLY, daysOfWeek: [DayOfWeek.FRIDAY] }), []],
    ['ten occurrences', recurrence({}, { type: NUMBERED, numberOfOccurrences: 10 }), []],
    ['an end on the start date', recurrence({}, { type: END_DATE, endDate: '2026-03-23' }), []],
    ['a dayOfMonth a daily series does not use', recurrence({ dayOfMonth: 99 }), []],
    ['interval 0', recurrence({ interval: 0 }), ['pattern.interval']],
    ['interval 1000', recurrence({ interval: 1000 }), ['pattern.interval']],
    ['a weekly series without days', recurrence({ type: WEEKLY }), ['pattern.daysOfWeek']],
    ['a weekly series with an empty list of days', recurrence({ type: WEEKLY, daysOfWeek: [] }), ['pattern.daysOfWeek']],
    ['a relative yearly series without days', recurrence({ type: RELATIVE_YEARLY, month: 3 }), ['pattern.daysOfWeek']],
    ['an absolute monthly series without its day', recurrence({ type: ABSOLUTE_MONTHLY }), ['pattern.dayOfMonth']],
    ['an absolute monthly series on day 32', recurrence({ type: ABSOLUTE_MONTHLY, dayOfMonth: 32 }), ['pattern.dayOfMonth']],
    ['an absolute yearly series in month 13', recurrence({ type: ABSOLUTE_YEARLY, dayOfMonth: 1, month: 13 }), ['pattern.month']],
    ['30 February', recurrence({}, { startDate: '2026-02-30' }), ['range.startDate']],
    ['an END_DATE range without its end', recurrence({}, { type: END_DATE }), ['range.endDate']],
    ['an end before the start', recurrence({}, { type: END_DATE, endDate: '2026-03-22' }), ['range.endDate']],
    ['a NUMBERED range without a count', recurrence({}, { type: NUMBERED }), ['range.numberOfOccurrences']],
    ['a NUMBERED range of 1000', recurrence({}, { type: NUMBERED, numberOfOccurrences: 1000 }), ['range.numberOfOccurrences']],
    ['an unknown zone', recurrence({}, { recurrenceTimeZone: 'Mars/Base' }), ['range.recurrenceTimeZone']],
    ['every rule at once', recurrence({ type: ABSOLUTE_YEARLY, interval: 0 }, { type: NUMBERED, startDate: 'soon' }),
      ['pattern.interval', 'pattern.dayOfMonth', 'pattern.month', 'range.startDate', 'range.numberOfOccurrences']],
  ])('%s', async (_name, input, fields) => {
    expect(await failingFields(input)).toEqual(fields);
  });

  it('says which pattern types need a missing property', async () => {
    await expect(validateArgs(recurrence({ type: WEEKLY }))).rejects.toMatchObject({
      extensions: { fields: [{ field: 'pattern.daysOfWeek', message: 'pattern.daysOfWeek must list at least one day; WEEKLY, RELATIVE_MONTHLY and RELATIVE_YEARLY patterns need it.' }] },
    });
    expect(await failingFields(recurrence({ type: DAILY }))).toEqual([]);
  });
});
