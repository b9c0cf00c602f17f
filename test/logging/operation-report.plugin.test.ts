// The per-request report: one log line and the operation metrics, written once the answer has been handed back.
import { ApolloServer } from '@apollo/server';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/logging/logger';
import { operationReportPlugin } from '../../src/logging/operation-report.plugin';

interface Observed {
  operationName?: string | null;
  outcome: string;
  durationMs: number;
}

function reportingServer(onOperation: (observed: Observed) => void) {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _encoding, done) { lines.push(String(chunk)); done(); } });
  const apollo = new ApolloServer<{ requestId: string }>({
    typeDefs: 'type Query { hello: String fail: String }',
    resolvers: { Query: { hello: () => 'world', fail: () => { throw new Error('upstream said no'); } } },
    plugins: [operationReportPlugin(createLogger('info', sink), { onOperation })],
  });
  const parsedLines = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { apollo, parsedLines };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('operationReportPlugin', () => {
  it('writes the line and the metrics after the answer is ready, with the request id and outcome', async () => {
    const observed: Observed[] = [];
    const { apollo, parsedLines } = reportingServer((observation) => observed.push(observation));
    await apollo.start();
    try {
      const answer = await apollo.executeOperation({ query: 'query Greeting { hello }' }, { contextValue: { requestId: 'req-1' } });
      expect(answer.body.kind).toBe('single');
      // The caller has its answer; the report waits for the next turn of the event loop.
      expect(parsedLines()).toEqual([]);
      expect(observed).toEqual([]);
      await nextTurn();
      expect(parsedLines()).toEqual([
        expect.objectContaining({ msg: 'graphql request', requestId: 'req-1', operationName: 'Greeting', operationType: 'query', outcome: 'success', status: 200 }),
      ]);
      expect(parsedLines()[0]).not.toHaveProperty('query');
      expect(observed).toEqual([expect.objectContaining({ operationName: 'Greeting', outcome: 'success' })]);
    } finally {
      await apollo.stop();
    }
  });

  it('writes the reports still waiting when the server stops', async () => {
    const { apollo, parsedLines } = reportingServer(() => undefined);
    await apollo.start();
    await apollo.executeOperation({ query: '{ hello }' }, { contextValue: { requestId: 'req-last' } });
    await apollo.stop();
    expect(parsedLines().map((line) => line.requestId)).toEqual(['req-last']);
  });

  it('reports every request of one turn, and a failing metrics hook neither escapes nor stops the others', async () => {
    const { apollo, parsedLines } = reportingServer(() => {
      throw new Error('metrics are broken');
    });
    await apollo.start();
    try {
      await Promise.all([
        apollo.executeOperation({ query: '{ hello }' }, { contextValue: { requestId: 'req-a' } }),
        apollo.executeOperation({ query: '{ fail }' }, { contextValue: { requestId: 'req-b' } }),
      ]);
      await nextTurn();
      const lines = parsedLines();
      expect(lines.map((line) => line.requestId).sort()).toEqual(['req-a', 'req-b']);
      expect(lines.find((line) => line.requestId === 'req-b')).toMatchObject({ outcome: 'INTERNAL_SERVER_ERROR', errorCodes: ['INTERNAL_SERVER_ERROR'] });
    } finally {
      await apollo.stop();
    }
  });
});
