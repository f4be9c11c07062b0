import { describe, expect, it } from 'vitest';
import { ScriptedStreamSource, type StreamStepAt } from './scripted-stream-source.js';

async function drain(
  iterable: AsyncIterable<unknown>,
  onMessage: (m: unknown) => void = () => undefined,
): Promise<string> {
  try {
    for await (const m of iterable) onMessage(m);
    return 'ended';
  } catch (error) {
    return `threw ${(error as Error).message}`;
  }
}

describe('ScriptedStreamSource onStep', () => {
  it('sees every step with its connection and index, just before it takes effect', async () => {
    const seen: string[] = [];
    let time = 0;
    const source = new ScriptedStreamSource(
      {
        connections: [
          [{ message: 'a' }, { gapMs: 5 }, { disconnect: 'reset' }],
          [{ message: 'b' }, { end: true }],
        ],
        whenExhausted: 'end',
      },
      {
        advance: (ms) => (time += ms),
        onStep: ({ connection, index, step }: StreamStepAt) =>
          seen.push(`${connection}.${index} ${Object.keys(step)[0]} t=${time}`),
      },
    );
    expect(await drain(source.streamOrderbook(['X'], 1))).toBe('threw reset');
    expect(await drain(source.streamTrades(['X']))).toBe('ended');
    expect(await drain(source.streamTrades(['X']))).toBe('ended');
    // The gap's time passes after its hook; the exhausted third open is one `end` step of connection 2.
    expect(seen).toEqual([
      '0.0 message t=0',
      '0.1 gapMs t=0',
      '0.2 disconnect t=5',
      '1.0 message t=5',
      '1.1 end t=5',
      '2.0 end t=5',
    ]);
  });

  it('still delivers the step at which the consumer is stopped, and nothing after it', async () => {
    const controller = new AbortController();
    const source = new ScriptedStreamSource(
      { connections: [[{ message: 1 }, { message: 2 }, { message: 3 }]] },
      { onStep: ({ index }) => index === 1 && controller.abort() },
    );
    const received: unknown[] = [];
    expect(await drain(source.streamOrderbook(['X'], 1, controller.signal), (m) => received.push(m))).toBe('ended');
    expect(received).toEqual([1, 2]);
  });
});
