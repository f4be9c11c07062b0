import { RISK_ENV_VARS, type RiskConfig } from '@perps-bot/risk';
import { SETTINGS, type SettingSpec } from './config/index.js';
import { RISK_DESCRIPTIONS } from './config/risk-settings.js';

export const MAIN_HELP = `
Examples:
  $ perps-bot run --profile dev --single-cycle        one cycle on the deterministic broker, print the marks
  $ perps-bot run --profile dev --dev-fast            loop every 0.2 s until Ctrl-C (dry run, no network)
  $ perps-bot run --symbols BTC-PERP,SOL-PERP --interval 2
  $ perps-bot config --profile canary                 show the effective settings and where each came from
  $ perps-bot risk show --profile canary              the risk state a restart restores (risk.sqlite)
  $ perps-bot risk clear --profile canary [--symbol X]   lift it (kill switch, reduce-only, daily breach)
  $ perps-bot status --profile dev                    positions, P&L, marks, risk, last cycle, clean or unclean stop
  $ perps-bot experiments --profile dev [--json]     what the shadows found: matches, mismatches, durations
  $ USE_NEW_MARKET_DATA_SERVICE=false perps-bot run --single-cycle    the legacy mark path

Profiles:
  dev      deterministic broker, dry run, 1 s cycles, no credentials (the default)
  canary   Coinbase, reduce-only, leverage 1, IOC (locked), daily loss 10, max position 500,
           14:00–15:00 UTC Mon–Fri, symbol BIP-20DEC30-CDE
  prod     Coinbase, max position 50000, leverage 3, shorts; refuses to start without credentials,
           and without PERPS_CONFIRM_LIVE_TRADING=yes unless --dry-run

Configuration precedence: defaults < profile < --config file (JSON) < environment < flags.
Every setting with its environment variable and flag is listed below; perps-bot config shows their values and sources.

Feature flags (environment, read when the bot starts):
  USE_NEW_MARKET_DATA_SERVICE   true (default): MarketDataService; false: the legacy path; shadow: both, legacy applies
  USE_NEW_STREAMING_SERVICE     true (default) / false
  USE_NEW_EXECUTION_SERVICE     true (default): ExecutionService; false: the frozen OrderExecutor; shadow: both, legacy applies
  USE_NEW_MARKET_DATA_SERVICE_SHADOW_PERCENT, USE_NEW_EXECUTION_SERVICE_SHADOW_PERCENT
                                0–100 (default 100): the share of cycles a shadow runs its candidate on

Exit codes: 0 done or stopped by SIGINT/SIGTERM; 1 anything unexpected; 2 invalid configuration, refused start,
unusable data directory or unavailable broker; 4 storage unavailable (disk full, I/O error, read-only) for
3 cycles or 30 s; 5 shutdown exceeded its 5 s bound; 130/143 a second SIGINT/SIGTERM.
`;

export const RUN_HELP = `
The cycle: update marks, session guard (UTC), baseline MA crossover, pre-trade risk, then an order with a
client order id: live, or in a dry run on the paper ledger (dry-run-ledger.json: fee paperFeeBps, default 6 bp;
slippage paperSlippageBps, default 2 bp). health.json, status.json and the SQLite stores live in
<data-dir>/perps_bot/<profile>/. SIGINT/SIGTERM cancel requests in flight, finish the current cycle, close the stores and exit 0 within 5 s; in a
terminal run apps/perps-bot/bin/perps-bot (pnpm in between turns Ctrl-C into ELIFECYCLE and exit 130).
Run options: --max-cycles <n> stops after n cycles; --stop-after-trade once a position opened in this run is closed.

Examples:
  $ perps-bot run --profile dev --single-cycle
  $ perps-bot run --profile dev --warm-up --interval 0.05 --stop-after-trade     one paper trade, then a summary
  $ perps-bot run --profile dev --status-server       http://127.0.0.1:9464/ (page, /metrics, /healthz, /readyz)
  $ perps-bot run --profile dev --interval 0.5 --log-level debug
  $ perps-bot run --config bot.json --data-dir /var/lib/perps-bot
  $ PERPS_ENABLE_STREAMING=1 perps-bot run --profile dev --broker coinbase \
      --api-url http://127.0.0.1:PORT --ws-url ws://127.0.0.1:PORT     against a loopback exchange-sim
      (credentials: COINBASE_API_KEY_NAME + COINBASE_API_PRIVATE_KEY, or COINBASE_API_KEY_FILE)
`;

/** The settings table for `perps-bot config --help`, generated from the one list of settings. */
export function settingsHelp(): string {
  const rows = (SETTINGS as readonly SettingSpec[]).map((s) => {
    const sources = [s.flag, ...(s.env ?? [])].filter(Boolean).join(', ');
    return `  ${s.key.padEnd(24)} ${s.description}${s.secret ? ' (secret, masked)' : ''}\n  ${''.padEnd(24)} allowed: ${s.allowed}${sources ? `; set by ${sources}` : ''}`;
  });
  const riskRows = (Object.keys(RISK_ENV_VARS) as (keyof RiskConfig)[]).map(
    (key) => `  ${RISK_ENV_VARS[key].join(' or ').padEnd(36)} ${RISK_DESCRIPTIONS[key]}`,
  );
  return [
    '',
    'Settings (config file keys; environment variables and flags that set them):',
    ...rows,
    '',
    'Risk settings (environment only; packages/risk/README.md has their defaults and rules):',
    ...riskRows,
    '',
    '  PERPS_CONFIG_FILE          the config file when --config is not given',
    '  PERPS_FORCE_MOCK=1         broker deterministic (below BROKER); PERPS_PAPER=1: broker paper',
    '  Booleans accept true/false, 1/0, yes/no, on/off. Lists are comma-separated.',
    '',
    'Examples:',
    '  $ perps-bot config --profile canary',
    '  $ TRADING_SYMBOLS=btc-perp,eth-perp perps-bot config --json',
  ].join('\n');
}
