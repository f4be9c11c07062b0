import { parseDecimal, type Decimal } from '@perps-bot/core';
import { parseTimeOfDay } from '@perps-bot/orchestration';
import { z } from 'zod';
import { BROKERS, LOG_LEVELS, PROFILES, TIME_IN_FORCE, WEEKDAY_NAMES } from './settings.js';

/** Product ids as Coinbase writes them: BTC-USD, BTC-PERP, BTC-PERP-INTX, BIP-20DEC30-CDE. */
const SYMBOL_PATTERN = /^[A-Z0-9]{2,12}(-[A-Z0-9]{2,12}){1,3}$/;

const decimal = (min: 'positive' | 'nonnegative') =>
  z.union([z.string(), z.number()]).transform((value, ctx): Decimal => {
    const parsed = parseDecimal(value);
    if (parsed === undefined || (min === 'positive' ? parsed.lessThanOrEqualTo(0) : parsed.lessThan(0))) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'out of range' });
      return z.NEVER;
    }
    return parsed;
  });

const time = z.string().refine((t) => parseTimeOfDay(t) !== undefined);
const url = (schemes: readonly string[]) =>
  z.string().refine((u) => {
    try {
      return schemes.includes(new URL(u).protocol);
    } catch {
      return false;
    }
  });

/** The validated configuration. Money limits are decimals; ratios and lengths are numbers. */
export const configSchema = z
  .object({
    profile: z.enum(PROFILES),
    broker: z.enum(BROKERS),
    symbols: z.array(z.string().regex(SYMBOL_PATTERN)).min(1),
    dryRun: z.boolean(),
    updateInterval: z.number().finite().gt(0).max(86_400),
    shortMa: z.number().int().min(1),
    longMa: z.number().int().min(2),
    targetLeverage: z.number().gt(0).max(100),
    trailingStopPct: z.number().gt(0).lt(1),
    positionFraction: z.number().gt(0).max(1),
    enableShorts: z.boolean(),
    maxPositionSize: decimal('positive'),
    maxLeverage: z.number().gt(0).max(100),
    dailyLossLimit: decimal('nonnegative'),
    reduceOnlyMode: z.boolean(),
    maxMarkStalenessSeconds: z.number().gt(0),
    unknownStateCycles: z.number().int().min(1).max(1000),
    reconcileOrdersInterval: z.number().finite().gt(0).max(86_400),
    reconcilePositionsInterval: z.number().finite().gt(0).max(86_400),
    timeInForce: z.enum(TIME_IN_FORCE),
    tradingWindowStart: time.optional(),
    tradingWindowEnd: time.optional(),
    tradingDays: z.array(z.enum(WEEKDAY_NAMES)).optional(),
    enableStreaming: z.boolean(),
    streamLevel: z.number().int().min(1),
    quoteConcurrency: z.number().int().min(1).max(64),
    quoteBatching: z.boolean(),
    maxClockSkewSeconds: z.number().finite().min(0).max(300),
    productRefreshMinutes: z.number().finite().gt(0).max(1_440),
    orderPreview: z.boolean(),
    dataDir: z.string().min(1),
    eventStoreRoot: z.string().min(1).optional(),
    tickRetentionRows: z.number().int().min(0),
    apiUrl: url(['https:', 'http:']),
    wsUrl: url(['wss:', 'ws:']),
    apiKeyName: z.string().min(1).optional(),
    apiPrivateKey: z.string().min(1).optional(),
    apiKeyFile: z.string().min(1).optional(),
    confirmLiveTrading: z.boolean(),
    logLevel: z.enum(LOG_LEVELS),
    paperFeeBps: z.number().min(0).max(1000),
    paperSlippageBps: z.number().min(0).max(1000),
    paperStartingBalance: decimal('positive'),
    warmUp: z.boolean(),
    statusServer: z.boolean(),
    statusHost: z.string().min(1),
    statusPort: z.number().int().min(0).max(65_535),
    seed: z.number().int(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.shortMa >= c.longMa)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['shortMa'], message: 'must be less than longMa' });
    if ((c.tradingWindowStart === undefined) !== (c.tradingWindowEnd === undefined)) {
      const missing = c.tradingWindowStart === undefined ? 'tradingWindowStart' : 'tradingWindowEnd';
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [missing],
        message: 'a trading window needs both a start and an end',
      });
    }
  });

export type AppConfig = z.output<typeof configSchema>;
export type AppConfigInput = z.input<typeof configSchema>;
