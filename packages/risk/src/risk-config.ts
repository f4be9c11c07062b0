import { ConfigError, Decimal, type DecimalInput } from '@perps-bot/core';
import { z } from 'zod';
import { booleanField, decimalField, numberField, symbolMapField, timeOfDayField } from './config-fields.js';

/**
 * The risk settings of the reference (RiskConfig in live_trade_config.py), camel-cased. Money, percentages,
 * leverage caps and rates are Decimals so a check at exactly the limit compares exactly; counts, seconds and the
 * volatility thresholds (a statistic computed in floating point, see volatility.ts) are numbers.
 */
export interface RiskConfig {
  /** Global halt: every order is rejected and the cycle skips every symbol. */
  readonly killSwitchEnabled: boolean;
  /** Only orders that reduce an existing position are allowed. */
  readonly reduceOnlyMode: boolean;

  /** Global leverage cap (notional / equity), perps only. */
  readonly maxLeverage: Decimal;
  /** Per-symbol caps; a symbol without one uses maxLeverage. The global cap still applies on top. */
  readonly leverageMaxPerSymbol: Readonly<Record<string, Decimal>>;
  /** Optional UTC window "HH:MM"–"HH:MM" (may span midnight) that selects the day or night caps and MMRs. */
  readonly daytimeStartUtc: string | null;
  readonly daytimeEndUtc: string | null;
  readonly dayLeverageMaxPerSymbol: Readonly<Record<string, Decimal>>;
  readonly nightLeverageMaxPerSymbol: Readonly<Record<string, Decimal>>;
  readonly dayMmrPerSymbol: Readonly<Record<string, Decimal>>;
  readonly nightMmrPerSymbol: Readonly<Record<string, Decimal>>;

  /** Fraction of equity that must remain above margin (and above maintenance margin, projected). */
  readonly minLiquidationBufferPct: Decimal;
  readonly enablePreTradeLiqProjection: boolean;
  /** Maintenance margin rate used when no day/night rate is configured for the symbol. */
  readonly defaultMaintenanceMarginRate: Decimal;

  /** Loss from the day's starting equity, in quote currency, beyond which reduce-only switches on. */
  readonly dailyLossLimit: Decimal;

  /** Hard notional caps per symbol (quote currency); none by default. */
  readonly maxNotionalPerSymbol: Readonly<Record<string, Decimal>>;
  /** Largest symbol notional as a fraction of equity. */
  readonly maxPositionPctPerSymbol: Decimal;
  /** Largest total notional (this symbol plus every other position) as a fraction of equity. */
  readonly maxExposurePct: Decimal;

  /** Spread + impact allowed before an order is refused, in basis points; 0 disables the guard. */
  readonly slippageGuardBps: Decimal;

  /** Marks older than this are "slightly stale" (info); older than twice this halt the symbol. */
  readonly maxMarkStalenessSeconds: number;

  readonly enableVolatilityCircuitBreaker: boolean;
  /** How many recent marks the breaker looks at. */
  readonly volatilityWindowPeriods: number;
  /** Annualised volatility at or above which the breaker warns / switches reduce-only / sets the kill switch. */
  readonly volatilityWarningThreshold: number;
  readonly volatilityReduceOnlyThreshold: number;
  readonly volatilityKillSwitchThreshold: number;
  /** After the breaker fires for a symbol it stays quiet for this long. */
  readonly circuitBreakerCooldownMinutes: number;
}

const d = (value: string): Decimal => new Decimal(value);

export const DEFAULT_RISK_CONFIG: RiskConfig = Object.freeze({
  killSwitchEnabled: false,
  reduceOnlyMode: false,
  maxLeverage: d('5'),
  leverageMaxPerSymbol: {},
  daytimeStartUtc: null,
  daytimeEndUtc: null,
  dayLeverageMaxPerSymbol: {},
  nightLeverageMaxPerSymbol: {},
  dayMmrPerSymbol: {},
  nightMmrPerSymbol: {},
  minLiquidationBufferPct: d('0.15'),
  enablePreTradeLiqProjection: true,
  defaultMaintenanceMarginRate: d('0.005'),
  dailyLossLimit: d('100'),
  maxNotionalPerSymbol: {},
  maxPositionPctPerSymbol: d('0.2'),
  maxExposurePct: d('0.8'),
  slippageGuardBps: d('50'),
  maxMarkStalenessSeconds: 180,
  enableVolatilityCircuitBreaker: false,
  volatilityWindowPeriods: 20,
  volatilityWarningThreshold: 0.15,
  volatilityReduceOnlyThreshold: 0.2,
  volatilityKillSwitchThreshold: 0.25,
  circuitBreakerCooldownMinutes: 30,
});

type InputOf<T> = T extends Decimal
  ? DecimalInput
  : T extends Readonly<Record<string, Decimal>>
    ? Readonly<Record<string, DecimalInput>> | string
    : T extends boolean
      ? boolean | string
      : T extends number
        ? number | string
        : T;

/** What callers may pass: any subset, decimals as Decimal, number or string. Missing settings take the defaults. */
export type RiskConfigInput = { readonly [K in keyof RiskConfig]?: InputOf<RiskConfig[K]> };

const leverage = () => decimalField({ above: 0 });
const fraction = () => decimalField({ min: 0, below: 1 });

const FIELDS = {
  killSwitchEnabled: booleanField(),
  reduceOnlyMode: booleanField(),
  maxLeverage: leverage(),
  leverageMaxPerSymbol: symbolMapField(leverage()),
  daytimeStartUtc: timeOfDayField(),
  daytimeEndUtc: timeOfDayField(),
  dayLeverageMaxPerSymbol: symbolMapField(leverage()),
  nightLeverageMaxPerSymbol: symbolMapField(leverage()),
  dayMmrPerSymbol: symbolMapField(fraction()),
  nightMmrPerSymbol: symbolMapField(fraction()),
  minLiquidationBufferPct: fraction(),
  enablePreTradeLiqProjection: booleanField(),
  defaultMaintenanceMarginRate: fraction(),
  dailyLossLimit: decimalField({ min: 0 }),
  maxNotionalPerSymbol: symbolMapField(decimalField({ above: 0 })),
  maxPositionPctPerSymbol: decimalField({ above: 0 }),
  // Above 1 is legitimate: exposure of 3 × equity is 3x account leverage.
  maxExposurePct: decimalField({ above: 0 }),
  slippageGuardBps: decimalField({ min: 0 }),
  maxMarkStalenessSeconds: numberField({ above: 0 }),
  enableVolatilityCircuitBreaker: booleanField(),
  // The breaker needs at least 10 returns from window − 1 consecutive marks (the reference's rule); a smaller
  // window would silently never fire, so it is refused here.
  volatilityWindowPeriods: numberField({ min: 11, integer: true }),
  volatilityWarningThreshold: numberField({ min: 0 }),
  volatilityReduceOnlyThreshold: numberField({ min: 0 }),
  volatilityKillSwitchThreshold: numberField({ min: 0 }),
  circuitBreakerCooldownMinutes: numberField({ min: 0 }),
} satisfies { [K in keyof RiskConfig]: z.ZodType<RiskConfig[K], z.ZodTypeDef, unknown> };

export const RISK_SETTING_NAMES = Object.freeze(Object.keys(FIELDS) as (keyof RiskConfig)[]);

const schema = z
  .object(FIELDS)
  .strict()
  .superRefine((config, ctx) => {
    if ((config.daytimeStartUtc === null) !== (config.daytimeEndUtc === null)) {
      const missing = config.daytimeStartUtc === null ? 'daytimeStartUtc' : 'daytimeEndUtc';
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [missing],
        message: 'must be set together with the other end of the daytime window (daytimeStartUtc, daytimeEndUtc)',
      });
    }
    const warn = config.volatilityWarningThreshold;
    const reduce = config.volatilityReduceOnlyThreshold;
    const kill = config.volatilityKillSwitchThreshold;
    if (reduce < warn) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['volatilityReduceOnlyThreshold'],
        message: `must be at least volatilityWarningThreshold (${warn}), got ${reduce}`,
      });
    }
    if (kill < reduce) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['volatilityKillSwitchThreshold'],
        message: `must be at least volatilityReduceOnlyThreshold (${reduce}), got ${kill}`,
      });
    }
  });

const snakeToCamel = (key: string): string => key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/**
 * Accepts the reference's snake_case keys (a risk JSON file: `max_leverage`) as well as camelCase; a setting given
 * in both spellings is ambiguous and refused.
 */
function normaliseKeys(input: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    const camel = snakeToCamel(key);
    if (camel in result) {
      throw new ConfigError(
        camel,
        `Invalid risk setting ${camel}: given twice (as ${camel} and as a snake_case alias)`,
      );
    }
    result[camel] = value;
  }
  return result;
}

/** Names a zod issue path the way a person wrote the setting: `leverageMaxPerSymbol.BTC-PERP`. */
export type SettingNamer = (path: readonly (string | number)[]) => string;

const defaultNamer: SettingNamer = (path) => path.map(String).join('.') || '(root)';

/**
 * Validates any value into a RiskConfig: missing settings take the reference's defaults, values may be Decimals,
 * numbers or numeric strings. Throws ConfigError naming the first bad setting (and listing every problem in
 * `details.issues`); an unknown setting is refused, since a misspelt limit would otherwise silently not apply.
 */
export function parseRiskConfig(input: unknown, nameSetting: SettingNamer = defaultNamer): RiskConfig {
  if (input === undefined || input === null) return DEFAULT_RISK_CONFIG;
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new ConfigError('riskConfig', `Invalid risk config: expected an object of settings, got ${typeof input}`);
  }
  const merged = { ...DEFAULT_RISK_CONFIG, ...dropUndefined(normaliseKeys(input as Record<string, unknown>)) };
  const result = schema.safeParse(merged);
  if (result.success) return Object.freeze(result.data);

  const issues = result.error.issues.map((issue) => {
    const setting = issue.code === z.ZodIssueCode.unrecognized_keys ? issue.keys.join(', ') : nameSetting(issue.path);
    const message =
      issue.code === z.ZodIssueCode.unrecognized_keys
        ? `is not a risk setting (known settings: ${RISK_SETTING_NAMES.join(', ')})`
        : issue.message;
    return { setting, message };
  });
  const first = issues[0] ?? { setting: 'riskConfig', message: 'is invalid' };
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  throw new ConfigError(first.setting, `Invalid risk setting ${first.setting}: ${first.message}${more}`, {
    details: { issues },
  });
}

/** `{ maxLeverage: undefined }` means "not given", as it does for a spread of optional overrides. */
function dropUndefined(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}
