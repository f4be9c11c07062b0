/** One step of an alignment between an expected and a received sequence. */
type AlignOp = { op: 'equal'; i: number; j: number } | { op: 'delete'; i: number } | { op: 'insert'; j: number };

/** Above this many DP cells the middle part is aligned greedily (a diff, not an optimal one). */
const MAX_CELLS = 4_000_000;
/** How far ahead the greedy alignment looks for the two sequences to agree again. */
const RESYNC_WINDOW = 64;

/**
 * Aligns two sequences by their keys (canonical text of each element) so that one missing effect shows as
 * one missing effect, not as every later effect being different. Common prefix and suffix are cut first;
 * the middle gets a longest-common-subsequence alignment.
 */
export function align(expected: readonly string[], received: readonly string[]): AlignOp[] {
  const ops: AlignOp[] = [];
  let start = 0;
  while (start < expected.length && start < received.length && expected[start] === received[start]) {
    ops.push({ op: 'equal', i: start, j: start });
    start++;
  }
  let endE = expected.length;
  let endR = received.length;
  const suffix: AlignOp[] = [];
  while (endE > start && endR > start && expected[endE - 1] === received[endR - 1]) {
    endE--;
    endR--;
    suffix.unshift({ op: 'equal', i: endE, j: endR });
  }
  const m = endE - start;
  const n = endR - start;
  if (m * n > MAX_CELLS) {
    ops.push(...greedy(expected, received, start, endE, endR));
  } else {
    ops.push(...lcs(expected, received, start, m, n));
  }
  return [...ops, ...suffix];
}

function lcs(a: readonly string[], b: readonly string[], start: number, m: number, n: number): AlignOp[] {
  // table[x][y] = LCS length of a[start+x..] and b[start+y..]
  const width = n + 1;
  const table = new Uint32Array((m + 1) * width);
  for (let x = m - 1; x >= 0; x--) {
    for (let y = n - 1; y >= 0; y--) {
      table[x * width + y] =
        a[start + x] === b[start + y]
          ? (table[(x + 1) * width + y + 1] as number) + 1
          : Math.max(table[(x + 1) * width + y] as number, table[x * width + y + 1] as number);
    }
  }
  const ops: AlignOp[] = [];
  let x = 0;
  let y = 0;
  while (x < m && y < n) {
    if (a[start + x] === b[start + y]) {
      ops.push({ op: 'equal', i: start + x++, j: start + y++ });
    } else if ((table[(x + 1) * width + y] as number) >= (table[x * width + y + 1] as number)) {
      ops.push({ op: 'delete', i: start + x++ });
    } else {
      ops.push({ op: 'insert', j: start + y++ });
    }
  }
  while (x < m) ops.push({ op: 'delete', i: start + x++ });
  while (y < n) ops.push({ op: 'insert', j: start + y++ });
  return ops;
}

/**
 * For sequences too long for the table (a stream of thousands of effects): walk both, and where they part,
 * take the nearest point within RESYNC_WINDOW where they agree again (fewest skipped entries first). A
 * broken candidate that drops one effect per message then reads as those missing effects, not as every
 * later entry being different. Where no agreement is in reach, the two entries are paired as a change.
 */
function greedy(a: readonly string[], b: readonly string[], start: number, endA: number, endB: number): AlignOp[] {
  const ops: AlignOp[] = [];
  let x = start;
  let y = start;
  while (x < endA && y < endB) {
    if (a[x] === b[y]) {
      ops.push({ op: 'equal', i: x++, j: y++ });
      continue;
    }
    const skip = resync(a, b, x, y, endA, endB);
    if (skip === undefined) {
      ops.push({ op: 'delete', i: x++ }, { op: 'insert', j: y++ });
      continue;
    }
    for (let k = 0; k < skip.dx; k++) ops.push({ op: 'delete', i: x++ });
    for (let k = 0; k < skip.dy; k++) ops.push({ op: 'insert', j: y++ });
  }
  while (x < endA) ops.push({ op: 'delete', i: x++ });
  while (y < endB) ops.push({ op: 'insert', j: y++ });
  return ops;
}

function resync(
  a: readonly string[],
  b: readonly string[],
  x: number,
  y: number,
  endA: number,
  endB: number,
): { dx: number; dy: number } | undefined {
  for (let total = 1; total <= RESYNC_WINDOW; total++) {
    for (let dx = 0; dx <= total; dx++) {
      const dy = total - dx;
      if (x + dx < endA && y + dy < endB && a[x + dx] === b[y + dy]) return { dx, dy };
    }
  }
  return undefined;
}
