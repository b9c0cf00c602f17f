// Logs are pretty for a person at a terminal in development, JSON lines everywhere else.
import { Writable } from 'node:stream';
import { chooseLogFormat, createLogger, type LogFormat } from '../../src/logging/logger';

describe('chooseLogFormat', () => {
  it.each<[string, boolean, LogFormat]>([
    ['development', true, 'pretty'],
    ['development', false, 'json'],
    ['production', true, 'json'],
    ['production', false, 'json'],
    ['test', true, 'json'],
    ['test', false, 'json'],
  ])('NODE_ENV=%s, stdout a terminal: %s -> %s', (nodeEnv, isTerminal, format) => {
    expect(chooseLogFormat({ nodeEnv, isTerminal })).toBe(format);
  });
});

describe('the pretty format', () => {
  function linesOf(format: LogFormat): string {
    let output = '';
    const sink = new Writable({ write(chunk, _encoding, done) { output += String(chunk); done(); } });
    const logger = createLogger('info', sink, format);
    logger.info({ requestId: 'r-7', accessToken: 'eyJ-a-real-looking-token' }, 'gateway listening');
    logger.flush();
    return output;
  }

  it('writes a readable line, with secrets still censored', () => {
    const output = linesOf('pretty');
    expect(output).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: gateway listening\n/);
    expect(output).toContain('requestId: "r-7"');
    expect(output).not.toContain('eyJ-a-real-looking-token');
    expect(() => JSON.parse(output.split('\n')[0])).toThrow();
  });

  it('leaves the JSON format as it was', () => {
    const line = JSON.parse(linesOf('json').trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 30, msg: 'gateway listening', requestId: 'r-7', service: 'ms-graph-gateway' });
    expect(JSON.stringify(line)).not.toContain('eyJ-a-real-looking-token');
  });
});
