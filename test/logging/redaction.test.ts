// pino redaction as a backstop: credential-named fields are censored at the top level and one level down.
import { Writable } from 'node:stream';
import { createLogger } from '../../src/logging/logger';

function logOnce(object: Record<string, unknown>): string {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _encoding, done) { lines.push(String(chunk)); done(); } });
  createLogger('info', sink).info(object, 'message');
  return lines.join('');
}

describe('log redaction', () => {
  it.each(['code', 'state', 'token', 'accessToken', 'refreshToken', 'sessionToken', 'clientSecret', 'authorization'])(
    'censors a top-level %s and the same name one level down',
    (name) => {
      const line = logOnce({ [name]: 'top-secret-value-1', nested: { [name]: 'top-secret-value-2' } });
      expect(line).not.toContain('top-secret-value');
      expect(JSON.parse(line)[name]).toBe('[redacted]');
    },
  );

  it('keeps safe fields such as errorCode', () => {
    expect(JSON.parse(logOnce({ errorCode: 'invalid_grant' })).errorCode).toBe('invalid_grant');
  });
});
