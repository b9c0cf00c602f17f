import { formatValue, percentile, ratio, renderTable, summarize, toKeyedFigures } from '../../bench/support/stats';
import { ownerOf } from '../../bench/profile-summary';

describe('bench statistics', () => {
  it.each([
    [[5, 1, 4, 2, 3], 0.5, 3],
    [[5, 1, 4, 2, 3], 0.99, 5],
    [[10], 0.5, 10],
    [Array.from({ length: 100 }, (_, index) => index + 1), 0.99, 99],
  ])('takes the nearest-rank percentile of %j at %d', (samples, fraction, expected) => {
    expect(percentile(samples, fraction)).toBe(expected);
  });

  it('leaves the samples it sorts untouched and answers NaN for none', () => {
    const samples = [3, 1, 2];
    expect(summarize(samples)).toEqual({ count: 3, p50: 2, p99: 3, mean: 2, max: 3 });
    expect(samples).toEqual([3, 1, 2]);
    expect(percentile([], 0.5)).toBeNaN();
  });

  it('never invents a ratio over zero', () => {
    expect(ratio(50, 100)).toBe(0.5);
    expect(ratio(50, 0)).toBeNaN();
    expect(ratio(Number.NaN, 10)).toBeNaN();
  });

  it('prints integers whole, fractions to a few digits, and missing figures as n/a', () => {
    expect(formatValue(50)).toBe('50');
    expect(formatValue(0.734, 'ms')).toBe('0.73 ms');
    expect(formatValue(123.6, 'MB')).toBe('124 MB');
    expect(formatValue(Number.NaN)).toBe('n/a');
    expect(formatValue(true)).toBe('yes');
  });

  it('renders one table with targets and keys every figure by name', () => {
    const rows = [
      { key: 'a.p50Ms', label: 'a p50', value: 0.5, unit: 'ms', target: '<= 1 ms', meetsTarget: true },
      { key: 'b.ratio', label: 'b ratio', value: 0.6, target: '>= 0.70', meetsTarget: false },
      { key: 'c.missing', label: 'c', value: Number.NaN },
    ];
    const table = renderTable('title', rows);
    expect(table.split('\n')[0]).toBe('title');
    expect(table).toMatch(/a p50\s+0\.50 ms\s+<= 1 ms\s+met/);
    expect(table).toMatch(/b ratio\s+0\.60\s+>= 0\.70\s+MISSED/);
    expect(toKeyedFigures(rows)).toEqual({ 'a.p50Ms': 0.5, 'b.ratio': 0.6, 'c.missing': 'n/a' });
  });
});

describe('CPU profile owners', () => {
  it.each([
    ['file:///work/main/node_modules/@apollo/server/dist/cjs/runHttpQuery.js', 'f', '@apollo/server'],
    ['/work/main/node_modules/graphql/execution/execute.js', 'f', 'graphql'],
    ['file:///work/main/dist/tokens/token.service.js', 'f', 'gateway:tokens'],
    ['node:internal/streams/readable', 'f', 'node:internal'],
    ['', '(garbage collector)', '(garbage collector)'],
  ])('attributes %s (%s) to %s', (url, functionName, owner) => {
    expect(ownerOf(url, functionName)).toBe(owner);
  });
});
