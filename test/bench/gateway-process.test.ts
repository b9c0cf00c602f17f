// The bench runs the gateway with the Node flags of `npm start`, read from its script.
import { nodeFlagsOfStartScript } from '../../bench/support/gateway-process';

describe('nodeFlagsOfStartScript', () => {
  it.each([
    ['node dist/main.js', []],
    ['node --max-semi-space-size=8 dist/main.js', ['--max-semi-space-size=8']],
    ['  node --a=1   --b dist/main.js ', ['--a=1', '--b']],
    ['tsx src/main.ts', []],
  ])('reads %j as %j', (script, flags) => {
    expect(nodeFlagsOfStartScript(script)).toEqual(flags);
  });
});
