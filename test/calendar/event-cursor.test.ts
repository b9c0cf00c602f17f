import { EventCursorCodec, positionFromNextLink, type CursorBinding } from '../../src/calendar/event-cursor';

const codec = new EventCursorCodec(Buffer.from('a-server-secret-of-enough-length-000000'));
const binding: CursorBinding = {
  userId: 'user-1', channel: 'main', calendarId: null, start: new Date('2026-01-01T00:00:00Z'), end: new Date('2026-02-01T00:00:00Z'),
};

const badInput = { extensions: { code: 'BAD_USER_INPUT', field: 'after', fields: [{ field: 'after', message: 'after is not a cursor this query returned; start again without after.' }] } };

describe('EventCursorCodec', () => {
  it('round-trips a skip offset and a skip token', () => {
    expect(codec.decode(binding, codec.encode(binding, { skip: 20 }))).toEqual({ skip: 20 });
    expect(codec.decode(binding, codec.encode(binding, { skipToken: 'abc==' }))).toEqual({ skipToken: 'abc==' });
  });

  it.each([
    ['another user', { userId: 'user-2' }],
    ['another channel', { channel: 'beta' }],
    ['another calendar', { calendarId: 'AAMkAGcal' }],
    ['another window start', { start: new Date('2026-01-02T00:00:00Z') }],
    ['another window end', { end: new Date('2026-03-01T00:00:00Z') }],
  ])('refuses a cursor used for %s', (_name, change) => {
    const cursor = codec.encode(binding, { skip: 10 });
    expect(() => codec.decode({ ...binding, ...change }, cursor)).toThrow(expect.objectContaining(badInput));
  });

  it('refuses a cursor signed with another secret', () => {
    const foreign = new EventCursorCodec(Buffer.from('another-secret-entirely-000000000000000')).encode(binding, { skip: 10 });
    expect(() => codec.decode(binding, foreign)).toThrow(expect.objectContaining(badInput));
  });

  it('refuses a cursor whose position was edited', () => {
    const [version, , signature] = codec.encode(binding, { skip: 10 }).split('.');
    const forged = `${version}.${Buffer.from(JSON.stringify({ skip: 10_000 })).toString('base64url')}.${signature}`;
    expect(() => codec.decode(binding, forged)).toThrow(expect.objectContaining(badInput));
  });

  it.each(['', 'garbage', 'e1..', 'e1.e30.', 'https://evil.example/steal', 'x'.repeat(5000)])('refuses %p', (cursor) => {
    expect(() => codec.decode(binding, cursor)).toThrow(expect.objectContaining(badInput));
  });

  it('carries no URL and no user id', () => {
    const cursor = codec.encode(binding, { skip: 10 });
    const payload = Buffer.from(cursor.split('.')[1], 'base64url').toString('utf8');
    expect(payload).toBe('{"skip":10}');
  });
});

describe('positionFromNextLink', () => {
  it.each([
    ['https://graph.microsoft.com/v1.0/me/calendarView?startDateTime=a&endDateTime=b&$top=10&$skip=10', { skip: 10 }],
    ['https://graph.microsoft.com/v1.0/me/calendarView?$skiptoken=Q%2Bx%3D', { skipToken: 'Q+x=' }],
    ['https://graph.microsoft.com/v1.0/me/calendarView?%24skipToken=abc', { skipToken: 'abc' }],
    ['https://graph.microsoft.com/v1.0/me/calendarView?$top=10', { skip: 30 }],
    ['not a url', { skip: 30 }],
  ])('reads %s', (nextLink, expected) => {
    expect(positionFromNextLink(nextLink, 30)).toEqual(expected);
  });
});
