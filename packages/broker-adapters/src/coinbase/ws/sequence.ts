/** What one frame's `sequence_num` says about the stream. */
type SequenceVerdict =
  | { readonly kind: 'next' }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'gap'; readonly expected: number; readonly received: number; readonly missed: number };

/**
 * Tracks `sequence_num` on one connection (Coinbase numbers frames per connection, across channels): a jump
 * means frames were lost; a number already seen is a duplicate or arrived out of order and is dropped.
 */
export class SequenceTracker {
  #last = -1;

  check(seq: number): SequenceVerdict {
    const last = this.#last;
    if (last >= 0 && seq <= last) return { kind: 'duplicate' };
    this.#last = seq;
    if (last >= 0 && seq > last + 1) return { kind: 'gap', expected: last + 1, received: seq, missed: seq - last - 1 };
    return { kind: 'next' };
  }
}
