// Lets a test's child process run the gateway's TypeScript sources through SWC; the one hook is the benchmarks' own.
require('../../../bench/register.js');
