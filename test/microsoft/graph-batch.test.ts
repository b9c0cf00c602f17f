// The pure parts of Graph JSON batching: batches of at most 20, and each call as a batch item's relative URL.
import { batchItemUrl, chunksOf, MAX_BATCH_REQUESTS } from '../../src/microsoft/graph-batch';

describe('chunksOf', () => {
  it.each([
    [0, []],
    [1, [1]],
    [20, [20]],
    [21, [20, 1]],
    [45, [20, 20, 5]],
  ])('splits %p calls into batches of %p', (count, sizes) => {
    const calls = Array.from({ length: count as number }, (_, index) => index);
    const chunks = chunksOf(calls);
    expect(chunks.map((chunk) => chunk.length)).toEqual(sizes);
    expect(chunks.flat()).toEqual(calls);
    expect(MAX_BATCH_REQUESTS).toBe(20);
  });
});

describe('batchItemUrl', () => {
  it.each([
    [{ method: 'GET' as const, path: 'me', route: 'GET /me' }, '/me'],
    [{ method: 'GET' as const, path: '/me/calendars/AA%2Fb%3D/calendarView', route: 'r', select: ['id', 'start'], query: { startDateTime: '2030-01-01T00:00:00.000Z', $top: 5 } },
      '/me/calendars/AA%2Fb%3D/calendarView?$select=id,start&startDateTime=2030-01-01T00%3A00%3A00.000Z&$top=5'],
    [{ method: 'GET' as const, path: 'me/calendarView', route: 'r', query: { $skiptoken: 'a&b=c' } }, '/me/calendarView?$skiptoken=a%26b%3Dc'],
  ])('%#: builds the relative URL', (call, url) => {
    expect(batchItemUrl(call)).toBe(url);
  });
});
