// Pure helpers of the benchmark: percentiles of samples, ratios, and the one printed table.

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

/** Nearest-rank percentile of samples in milliseconds (sorted copy; the input is left alone). */
export function percentile(samples: readonly number[], fraction: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length)));
  return sorted[rank - 1];
}

export function summarize(samples: readonly number[]): LatencySummary {
  const total = samples.reduce((sum, value) => sum + value, 0);
  return {
    count: samples.length,
    p50: percentile(samples, 0.5),
    p99: percentile(samples, 0.99),
    mean: samples.length > 0 ? total / samples.length : Number.NaN,
    max: samples.length > 0 ? Math.max(...samples) : Number.NaN,
  };
}

/** a / b, or NaN when b is not a positive number (a ratio is never invented). */
export function ratio(a: number, b: number): number {
  return b > 0 && Number.isFinite(a) ? a / b : Number.NaN;
}

export interface ResultRow {
  /** Stable key in latest.json, e.g. 'overhead.c1.gateway.p50Ms'. */
  key: string;
  label: string;
  value: number | string | boolean;
  unit?: string;
  /** The target from the issue, printed beside the figure; undefined when there is none. */
  target?: string;
  /** Whether the figure meets its target; undefined when there is no target. */
  meetsTarget?: boolean;
}

export function formatValue(value: ResultRow['value'], unit = ''): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return 'n/a';
  if (Number.isInteger(value)) return `${value}${unit ? ` ${unit}` : ''}`;
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

/** A fixed-width text table: label, figure, target, verdict. */
export function renderTable(title: string, rows: readonly ResultRow[]): string {
  const cells = rows.map((row) => [
    row.label,
    formatValue(row.value, row.unit),
    row.target ?? '',
    row.meetsTarget === undefined ? '' : row.meetsTarget ? 'met' : 'MISSED',
  ]);
  const header = ['figure', 'value', 'target', ''];
  const widths = header.map((_, column) => Math.max(header[column].length, ...cells.map((line) => line[column].length)));
  const line = (parts: string[]) => parts.map((part, column) => part.padEnd(widths[column])).join('  ').trimEnd();
  return [title, line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.map(line)].join('\n');
}

/** The figures keyed by name, as written to bench/results/latest.json. */
export function toKeyedFigures(rows: readonly ResultRow[]): Record<string, ResultRow['value']> {
  return Object.fromEntries(rows.map((row) => [row.key, typeof row.value === 'number' && !Number.isFinite(row.value) ? 'n/a' : row.value]));
}
