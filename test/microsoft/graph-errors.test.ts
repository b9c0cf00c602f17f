import { classifyGraphFailure } from '../../src/microsoft/graph-errors';

describe('classifyGraphFailure', () => {
  it.each([
    [{ statusCode: 404, code: 'ErrorItemNotFound' }, 'NOT_FOUND', {}],
    [{ statusCode: 403, code: 'ErrorAccessDenied' }, 'UPSTREAM_REJECTED', { upstreamCode: 'ErrorAccessDenied' }],
    [{ statusCode: 400, code: 'ErrorInvalidIdMalformed' }, 'BAD_USER_INPUT', { field: 'id', fields: [{ field: 'id', message: expect.stringMatching(/^id /) }] }],
    [{ statusCode: 400, code: 'TimeZoneNotSupportedException' }, 'BAD_USER_INPUT', { field: 'timeZone', fields: [{ field: 'timeZone', message: expect.stringMatching(/^timeZone /) }] }],
    [{ statusCode: 400, code: 'ErrorTimeZoneNotSupportedException' }, 'BAD_USER_INPUT', { field: 'timeZone', fields: [{ field: 'timeZone', message: expect.stringMatching(/^timeZone /) }] }],
    [{ statusCode: 412, code: 'ErrorIrresolvableConflict' }, 'CONFLICT', {}],
    [{ statusCode: 400, code: null }, 'UPSTREAM_REJECTED', { upstreamCode: 'Http400' }],
    [{ statusCode: 400, code: '<script>alert(1)</script>' }, 'UPSTREAM_REJECTED', { upstreamCode: 'Http400' }],
    [{ statusCode: 401, code: 'InvalidAuthenticationToken' }, 'UPSTREAM_REJECTED', { upstreamCode: 'InvalidAuthenticationToken' }],
    [{ statusCode: 429, code: 'TooManyRequests', retryAfter: '7' }, 'UPSTREAM_THROTTLED', { retryAfterSeconds: 7 }],
    [{ statusCode: 429, code: 'ApplicationThrottled' }, 'UPSTREAM_THROTTLED', { retryAfterSeconds: 1 }],
    [{ statusCode: 500, code: 'InternalServerError' }, 'UPSTREAM_UNAVAILABLE', {}],
    [{ statusCode: 503, code: 'serviceNotAvailable' }, 'UPSTREAM_UNAVAILABLE', {}],
    [{ statusCode: 504 }, 'UPSTREAM_UNAVAILABLE', {}],
    [{ statusCode: -1 }, 'UPSTREAM_UNAVAILABLE', {}],
  ])('maps %p to %s', (failure, code, extensions) => {
    const error = classifyGraphFailure(failure);
    expect(error.extensions).toEqual({ code, ...extensions });
  });

  it('names the id argument Graph found malformed', () => {
    expect(classifyGraphFailure({ statusCode: 400, code: 'ErrorInvalidIdMalformed' }, 'The calendar', 0, 'calendarId').extensions).toEqual({
      code: 'BAD_USER_INPUT', field: 'calendarId', fields: [{ field: 'calendarId', message: 'calendarId is not a valid Microsoft Graph id.' }],
    });
  });

  it('names the time-zone argument Graph refused', () => {
    expect(classifyGraphFailure({ statusCode: 400, code: 'TimeZoneNotSupportedException' }, 'The event', 0, 'id', 'input.start.timeZone').extensions).toEqual({
      code: 'BAD_USER_INPUT', field: 'input.start.timeZone', fields: [{ field: 'input.start.timeZone', message: 'input.start.timeZone is a time zone Microsoft does not accept.' }],
    });
  });

  it('never repeats what Graph said in its message', () => {
    const error = classifyGraphFailure({ statusCode: 403, code: 'ErrorAccessDenied' });
    expect(error.message).not.toMatch(/Check credentials/);
  });
});
