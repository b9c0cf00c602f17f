// Log redaction as a backstop: credential-named fields are censored wherever they appear in a log object.
import { Writable } from 'node:stream';
import { censorSecrets } from '../../src/logging/censor-secrets';
import { createLogger } from '../../src/logging/logger';

function logOnce(object: Record<string, unknown>): string {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _encoding, done) { lines.push(String(chunk)); done(); } });
  createLogger('info', sink).info(object, 'message');
  return lines.join('');
}

describe('log redaction', () => {
  it.each(['code', 'state', 'token', 'accessToken', 'refreshToken', 'sessionToken', 'clientSecret', 'authorization', 'variables', 'x-admin-token', 'id_token', 'completionSecret', 'set-cookie', 'cookie'])(
    'censors %s at the top level, nested, and inside arrays',
    (name) => {
      const line = logOnce({
        [name]: 'top-secret-value-1',
        nested: { [name]: 'top-secret-value-2', deeper: { [name]: 'top-secret-value-3' } },
        list: [{ [name]: 'top-secret-value-4' }],
      });
      expect(line).not.toContain('top-secret-value');
      expect(JSON.parse(line)[name]).toBe('[redacted]');
      expect(JSON.parse(line).nested.deeper[name]).toBe('[redacted]');
    },
  );

  it('matches key names in any case, as HTTP headers arrive', () => {
    expect(logOnce({ headers: { Authorization: 'Bearer top-secret-value' } })).not.toContain('top-secret-value');
  });

  it('keeps safe fields such as errorCode', () => {
    expect(JSON.parse(logOnce({ errorCode: 'invalid_grant', errorCodes: ['UPSTREAM_THROTTLED'] })).errorCode).toBe('invalid_grant');
  });

  it('hands back the very same object when nothing needs censoring, and never changes the caller\'s object', () => {
    const clean = { requestId: 'r-1', status: 200, nested: { outcome: 'success' } };
    expect(censorSecrets(clean)).toBe(clean);
    const dirty = { requestId: 'r-2', nested: { token: 'secret' } };
    const censored = censorSecrets(dirty);
    expect(censored).toEqual({ requestId: 'r-2', nested: { token: '[redacted]' } });
    expect(dirty.nested.token).toBe('secret');
  });

  it('keeps an error an error when it censors one of its fields', () => {
    const error = Object.assign(new TypeError('a useful message'), { code: 'top-secret-value-6' });
    const logged = JSON.parse(logOnce({ err: error }));
    expect(JSON.stringify(logged)).not.toContain('top-secret-value');
    expect(logged.err).toEqual(expect.objectContaining({ type: 'TypeError', message: 'a useful message', code: '[redacted]' }));
    expect(logged.err.stack).toContain('TypeError: a useful message');
    expect(error.code).toBe('top-secret-value-6');
  });

  it('stops at a depth limit instead of following a cycle', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    expect(() => censorSecrets(cyclic)).not.toThrow();
  });
});
