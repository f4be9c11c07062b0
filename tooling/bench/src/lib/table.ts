type Cell = string | number;

/** Numbers for people: thousands separators, a sensible number of decimals for the size. */
export function fmt(value: number, decimals?: number): string {
  if (!Number.isFinite(value)) return '—';
  const d = decimals ?? (Number.isInteger(value) || Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
  return value.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

export const times = (value: number): string => `${fmt(value, value >= 100 ? 0 : 1)}×`;

/** A plain-text table with a header rule; numbers right-aligned, text left-aligned. */
export function table(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = rows.map((row) => row.map((cell) => (typeof cell === 'number' ? fmt(cell) : cell)));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((row) => (row[i] ?? '').length)));
  const numeric = headers.map((_, i) =>
    rows.every((row) => typeof row[i] === 'number' || /^([\d,.\-—]+\s*(×|ms|µs|MB|\/s)?)?$/.test(String(row[i] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...text.map(line)].join('\n');
}
