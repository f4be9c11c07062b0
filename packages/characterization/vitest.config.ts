import { definePackageConfig } from '@perps-bot/vitest-config';

export default definePackageConfig();
