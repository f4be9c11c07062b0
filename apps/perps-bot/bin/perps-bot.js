#!/usr/bin/env node
// The `perps-bot` command is the built CLI in dist/. This forwarder is committed so that `pnpm install` on a fresh
// clone can link the bin before anything is built (a bin pointing into dist/ fails to link until then).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('perps-bot: dist/cli.js is not built yet; run `pnpm build` in the repository first\n');
  process.exit(1);
}
await import(cli.href);
