import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const DRY_RUN = join(ROOT, 'tooling/scripts/release-dry-run.mjs');

function packageDirs(): string[] {
  return ['packages', 'apps', 'tooling'].flatMap((group) =>
    readdirSync(join(ROOT, group))
      .map((name) => `${group}/${name}`)
      .filter((dir) => existsSync(join(ROOT, dir, 'tsconfig.json'))),
  );
}

/** The files a tsconfig makes tsc read from its own package (its root files, as tsc resolves `include`). */
function filesTscReads(dir: string, tsconfig: string): string[] {
  const path = join(ROOT, dir, tsconfig);
  const { config } = ts.readConfigFile(path, (file) => ts.sys.readFile(file));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, dirname(path));
  return parsed.fileNames.map((file) => relative(join(ROOT, dir), file)).filter((file) => !file.startsWith('..'));
}

/** turbo's input globs, as this repository writes them: `dir/**` or an exact file name. */
function covered(file: string, inputs: readonly string[]): boolean {
  return inputs.some((input) => (input.endsWith('/**') ? file.startsWith(input.slice(0, -2)) : file === input));
}

describe('turbo inputs', () => {
  const turbo = JSON.parse(readFileSync(join(ROOT, 'turbo.json'), 'utf8')) as {
    tasks: Record<string, { inputs?: string[] }>;
  };

  it.each(packageDirs())('%s: every file its tsconfig.json gives tsc is a typecheck input', (dir) => {
    const inputs = turbo.tasks.typecheck?.inputs ?? [];
    const missed = filesTscReads(dir, 'tsconfig.json').filter((file) => !covered(file, inputs));
    expect(missed).toEqual([]);
  });

  it.each(packageDirs().filter((dir) => existsSync(join(ROOT, dir, 'tsconfig.build.json'))))(
    '%s: every file its tsconfig.build.json gives tsc is a build input',
    (dir) => {
      const inputs = turbo.tasks.build?.inputs ?? [];
      const missed = filesTscReads(dir, 'tsconfig.build.json').filter((file) => !covered(file, inputs));
      expect(missed).toEqual([]);
    },
  );
});

function dryRun(root: string): { code: number | null; out: string } {
  const result = spawnSync(process.execPath, [DRY_RUN, '--static', '--root', root], { encoding: 'utf8' });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

describe('release dry run (manifests)', () => {
  let fixture: string | undefined;
  afterEach(() => {
    if (fixture) rmSync(fixture, { recursive: true, force: true });
    fixture = undefined;
  });

  it('passes on this workspace and names what it would publish', () => {
    const { code, out } = dryRun(ROOT);
    expect(out).toContain('would publish');
    expect(out).toMatch(/would publish .*@perps-bot\/core.*perps-bot/);
    expect(out).toMatch(/versioned only \(private\): .*@perps-bot\/exchange-sim/);
    expect(code).toBe(0);
  });

  /** A copy of the workspace's manifests and release files only: enough for the static checks, quick to copy. */
  function copyManifests(): string {
    const dir = mkdtempSync(join(tmpdir(), 'perps-release-fixture-'));
    for (const file of ['package.json', 'pnpm-workspace.yaml', '.changeset/config.json']) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      cpSync(join(ROOT, file), join(dir, file));
    }
    for (const pkg of packageDirs().concat('tooling/vitest-config')) {
      mkdirSync(join(dir, pkg), { recursive: true });
      for (const file of ['package.json', 'LICENSE', 'bin']) {
        const from = join(ROOT, pkg, file);
        if (existsSync(from)) cpSync(from, join(dir, pkg, file), { recursive: true });
      }
    }
    return dir;
  }

  function editManifest(root: string, pkg: string, edit: (manifest: Record<string, unknown>) => void): void {
    const file = join(root, pkg, 'package.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    edit(manifest);
    writeFileSync(file, JSON.stringify(manifest, null, 2));
  }

  it('refuses a published package that depends on a private one', () => {
    fixture = copyManifests();
    editManifest(fixture, 'packages/orchestration', (m) => {
      (m.dependencies as Record<string, string>)['@perps-bot/exchange-sim'] = 'workspace:^';
    });
    const { code, out } = dryRun(fixture);
    expect(out).toContain('packages/orchestration/package.json: dependencies names @perps-bot/exchange-sim');
    expect(code).toBe(1);
  });

  it('refuses a bin that points at a file only a build makes', () => {
    fixture = copyManifests();
    editManifest(fixture, 'apps/perps-bot', (m) => {
      m.bin = { 'perps-bot': './dist/cli.js' };
    });
    const { code, out } = dryRun(fixture);
    expect(out).toContain('bin perps-bot → ./dist/cli.js does not exist');
    expect(code).toBe(1);
  });

  it('refuses a package whose licence, repository directory or publish access is wrong', () => {
    fixture = copyManifests();
    editManifest(fixture, 'packages/core', (m) => {
      m.license = 'UNLICENSED';
      (m.repository as Record<string, string>).directory = 'packages/kore';
      delete m.publishConfig;
    });
    const { code, out } = dryRun(fixture);
    expect(out).toContain('packages/core/package.json: license is "UNLICENSED"');
    expect(out).toContain('packages/core/package.json: repository.directory must be "packages/core"');
    expect(out).toContain('packages/core/package.json: a published package needs publishConfig.access "public"');
    expect(code).toBe(1);
  });

  it('the committed bin forwarders run the built CLI, or say how to build it', () => {
    fixture = mkdtempSync(join(tmpdir(), 'perps-bin-'));
    cpSync(join(ROOT, 'apps/perps-bot/bin'), join(fixture, 'bin'), { recursive: true });
    const missing = spawnSync(process.execPath, [join(fixture, 'bin/perps-bot.js')], { encoding: 'utf8' });
    expect(missing.stderr).toContain('dist/cli.js is not built yet; run `pnpm build`');
    expect(missing.status).toBe(1);
    mkdirSync(join(fixture, 'dist'));
    writeFileSync(
      join(fixture, 'dist/cli.js'),
      "process.stdout.write('cli ran ' + process.argv.slice(2).join(' '));\n",
    );
    writeFileSync(join(fixture, 'package.json'), '{"type":"module"}');
    const ran = execFileSync(process.execPath, [join(fixture, 'bin/perps-bot.js'), 'config'], { encoding: 'utf8' });
    expect(ran).toBe('cli ran config');
  });
});
