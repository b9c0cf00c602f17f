import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { printGatewaySchema } from '../../src/graphql/print-schema';

const checkedIn = resolve(__dirname, '../../schema/schema.graphql');

describe('the emitted schema', () => {
  it('matches the checked-in schema/schema.graphql (run npm run schema:emit)', () => {
    expect(readFileSync(checkedIn, 'utf8')).toBe(printGatewaySchema());
  });
});
