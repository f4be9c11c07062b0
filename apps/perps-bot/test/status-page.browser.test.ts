import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startBotWithStatus, type BotWithStatus } from './status-harness.js';

/** Debian's chromium (apt-get install chromium, done by .ci/run): playwright-core never downloads a browser. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

vi.setConfig({ testTimeout: 240_000 });

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openBrowser(): Promise<BrowserContext> {
  // A fresh profile per run: nothing cached from another run can make the page look alive.
  const profile = mkdtempSync(join(tmpdir(), 'perps-bot-chromium-'));
  cleanups.push(() => rmSync(profile, { recursive: true, force: true }));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  cleanups.push(() => context.close());
  return context;
}

/** Polls the page until `read` returns a value: waits for a state of the page, never for a time. */
async function until<T>(page: Page, what: string, read: () => Promise<T | undefined>, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting for ${what}; page text:\n${await page.locator('body').innerText()}`);
    await page.waitForTimeout(100);
  }
}

const markOf = (page: Page, symbol: string) =>
  page.locator(`#marks [data-symbol="${symbol}"] [data-field="mark"]`).innerText();

// Without CI the browser may simply not be installed on a developer's machine; in CI (.ci/run installs it) a
// missing browser fails the run instead of skipping the test.
const haveBrowser = existsSync(CHROMIUM) || process.env.CI === 'true';

describe.skipIf(!haveBrowser)('the status page in headless Chromium', () => {
  it('shows marks and a paper position for the dev bot, and both update live', async () => {
    const bot: BotWithStatus = await startBotWithStatus(['--interval', '0.2', '--warm-up'], {
      // Positions that last: no trailing stop to speak of, and no daily loss limit to switch reduce-only on.
      PERPS_TRAILING_STOP_PCT: '0.05',
      RISK_DAILY_LOSS_LIMIT: '0',
    });
    cleanups.push(() => bot.stop());
    const context = await openBrowser();
    const page = await context.newPage();
    const response = await page.goto(bot.url, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    const navigation = await page.evaluate(() => {
      // Runs in the page; this package's types have no DOM, so the navigation entry is described here.
      type NavigationEntry = { loadEventEnd: number; startTime: number; encodedBodySize: number };
      const timing = (globalThis as unknown as { performance: { getEntriesByType(type: string): NavigationEntry[] } })
        .performance;
      const [entry] = timing.getEntriesByType('navigation');
      return { loadMs: entry ? entry.loadEventEnd - entry.startTime : -1, bytes: entry?.encodedBodySize ?? -1 };
    });
    // Reported, never asserted on: timing does not decide a test.
    console.info(`status page: loaded in ${navigation.loadMs.toFixed(1)} ms, ${navigation.bytes} bytes`);
    await expect(page.title()).resolves.toBe('perps-bot status');

    // Marks: a decimal per symbol, each with a chart, and a later refresh shows a different BTC mark.
    for (const symbol of ['BTC-PERP', 'ETH-PERP']) {
      await until(page, `a mark for ${symbol}`, async () =>
        /^\d+(\.\d+)?$/.test(await markOf(page, symbol)) ? true : undefined,
      );
    }
    const firstMark = await markOf(page, 'BTC-PERP');
    await until(page, 'the BTC-PERP mark to change', async () =>
      (await markOf(page, 'BTC-PERP')) !== firstMark ? true : undefined,
    );
    await until(page, 'a drawn chart', async () =>
      (await page.locator('#marks [data-symbol="BTC-PERP"] svg path').getAttribute('d'))?.startsWith('M')
        ? true
        : undefined,
    );
    expect(await page.locator('#profile').innerText()).toContain('dry run (paper)');

    // A position opened on the paper ledger appears, then its row updates (mark and unrealized P&L move).
    const row = page.locator('#positions tbody tr');
    const first = await until(page, 'a position row', async () =>
      (await row.count()) > 0 ? await row.first().innerText() : undefined,
    );
    const symbol = await row.first().getAttribute('data-symbol');
    expect(symbol).toMatch(/^(BTC|ETH)-PERP$/);
    expect(first).toMatch(/\blong\b/);
    await until(page, 'the position row to update', async () => {
      const now = page.locator(`#positions tbody tr[data-symbol="${symbol}"]`);
      return (await now.count()) > 0 && (await now.innerText()) !== first ? true : undefined;
    });
    // The order that opened it is listed, placed on paper.
    await until(page, 'a placed order', async () =>
      (await page.locator('#orders tbody tr', { hasText: 'placed' }).count()) > 0 ? true : undefined,
    );
    expect(await page.locator('#blocks').innerText()).toBe('trading allowed');
    expect(Number(await page.locator('body').getAttribute('data-refreshes'))).toBeGreaterThan(1);
  });
});
