import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stopVerdict } from './status-command.js';
import { detectUncleanStop } from './unclean-stop.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function healthFile(content: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'perps-bot-unclean-'));
  dirs.push(dir);
  const file = join(dir, 'health.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

const dead = () => false;
const alive = () => true;

describe('detectUncleanStop', () => {
  it('finds a live state whose pid is gone, and nothing after a clean stop or while that process runs', () => {
    const running = { status: 'running', pid: 999_999, updatedAt: '2026-03-02T14:30:00.000Z', cycleCount: 7 };
    expect(detectUncleanStop(healthFile(running), dead)).toEqual({
      pid: 999_999,
      status: 'running',
      updatedAt: '2026-03-02T14:30:00.000Z',
      cycleCount: 7,
    });
    expect(detectUncleanStop(healthFile(running), alive)).toBeUndefined();
    expect(detectUncleanStop(healthFile({ ...running, status: 'stopped' }), dead)).toBeUndefined();
    expect(detectUncleanStop(join(tmpdir(), 'no-such-dir', 'health.json'), dead)).toBeUndefined();
  });
});

describe('stopVerdict', () => {
  const event = (seq: number, type: string, payload: Record<string, unknown> = {}) => ({
    seq,
    type,
    botId: 'perps_bot',
    time: `t${seq}`,
    payload,
  });

  it('running, clean with its reason, or unclean', () => {
    expect(stopVerdict({ status: 'running', pid: 1 }, [], alive).state).toBe('running');
    expect(stopVerdict({ status: 'running', pid: 1 }, [], dead).state).toBe('unclean');
    const clean = stopVerdict(
      { status: 'stopped', pid: 1 },
      [event(1, 'startup'), event(2, 'shutdown', { reason: 'SIGINT' })],
      dead,
    );
    expect(clean).toEqual({ state: 'clean', text: 'clean: stopped at t2 (SIGINT)' });
    // An error status with no shutdown after the last startup is not a clean stop.
    expect(
      stopVerdict({ status: 'error', pid: 1, updatedAt: 'u' }, [event(1, 'shutdown'), event(2, 'startup')], dead).state,
    ).toBe('unclean');
  });
});
