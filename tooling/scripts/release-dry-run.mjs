#!/usr/bin/env node
// The release, rehearsed offline: what `pnpm release` would publish, checked before `changeset publish` runs.
//
//   node tooling/scripts/release-dry-run.mjs            manifests + a `pnpm pack` of every published package
//   node tooling/scripts/release-dry-run.mjs --static   manifests only (no build needed; what the test runs)
//   --root <dir>                                       another workspace (the test's broken fixtures)
//
// Published: every package without `"private": true` (the libraries and the `perps-bot` app). Private packages
// (test harnesses, the simulator, benchmarks, the vitest preset) are versioned and get changelogs, never
// published. Prints one line per problem and exits 1 if there is any; nothing here touches the network.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const args = process.argv.slice(2);
const staticOnly = args.includes('--static');
const rootArg = args.indexOf('--root');
const root = rootArg >= 0 ? args[rootArg + 1] : new URL('../..', import.meta.url).pathname;
const LICENSE = 'MIT';

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const problems = [];
const problem = (where, text) => problems.push(`${where}: ${text}`);

/** The workspace's packages, from the globs of pnpm-workspace.yaml (`dir/*` entries only, which is all we use). */
function workspacePackages() {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const globs = [...yaml.matchAll(/^\s+-\s+['"]?([\w./-]+)\/\*['"]?\s*$/gm)].map((m) => m[1]);
  const found = [];
  for (const group of globs) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const file = join(dir, name, 'package.json');
      if (existsSync(file)) found.push({ dir: `${group}/${name}`, manifest: readJson(file) });
    }
  }
  return found;
}

/** Every target of an `exports` value, whatever the nesting of conditions. */
function exportTargets(value) {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(exportTargets);
  return [];
}

function hasCondition(value, condition) {
  if (!value || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, inner]) => key === condition || hasCondition(inner, condition));
}

function checkManifests(packages) {
  const rootManifest = readJson(join(root, 'package.json'));
  const changesets = readJson(join(root, '.changeset', 'config.json'));
  if (changesets.access !== 'public')
    problem('.changeset/config.json', `access is "${changesets.access}", the published packages are public`);
  if (changesets.privatePackages?.version !== true)
    problem('.changeset/config.json', 'privatePackages.version must be true: private packages are versioned too');

  const repoUrl = rootManifest.repository?.url;
  if (!repoUrl) problem('package.json', 'the root manifest names no repository.url');

  const privateNames = new Set(packages.filter((p) => p.manifest.private === true).map((p) => p.manifest.name));
  for (const { dir, manifest } of packages) {
    const where = `${dir}/package.json`;
    if (manifest.license !== LICENSE)
      problem(where, `license is ${JSON.stringify(manifest.license)}, expected "${LICENSE}"`);
    if (manifest.repository?.url !== repoUrl) problem(where, `repository.url must be the root's (${repoUrl})`);
    if (manifest.repository?.directory !== dir) problem(where, `repository.directory must be "${dir}"`);
    if (!manifest.version) problem(where, 'has no version');
    if (manifest.private === true) continue;

    // Published from here on.
    if (manifest.publishConfig?.access !== 'public')
      problem(where, 'a published package needs publishConfig.access "public"');
    const files = manifest.files ?? [];
    if (!files.includes('dist')) problem(where, '"files" must include dist');
    if (!files.includes('CHANGELOG.md')) problem(where, '"files" must include CHANGELOG.md');
    if (!existsSync(join(root, dir, 'LICENSE')))
      problem(where, 'LICENSE is missing beside it (npm packs only the package directory)');
    for (const [bin, target] of Object.entries(manifest.bin ?? {})) {
      if (!existsSync(join(root, dir, target)))
        problem(where, `bin ${bin} → ${target} does not exist (it must be committed, not built)`);
      if (!files.some((f) => target.replace(/^\.\//, '').startsWith(f)))
        problem(where, `bin ${bin} → ${target} is not in "files"`);
    }
    const published = manifest.publishConfig?.exports ?? manifest.exports;
    if (hasCondition(published, 'source'))
      problem(where, 'the published exports keep the "source" condition, whose files are not shipped');
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const dep of Object.keys(manifest[field] ?? {})) {
        if (privateNames.has(dep)) problem(where, `${field} names ${dep}, which is private and never published`);
      }
    }
  }
}

/** Packs each published package the way `pnpm publish` would and checks what a user would install. */
function checkPacks(packages) {
  const out = mkdtempSync(join(tmpdir(), 'perps-release-'));
  try {
    for (const { dir, manifest } of packages) {
      if (manifest.private === true) continue;
      const where = `${manifest.name}@${manifest.version}`;
      const dest = join(out, manifest.name.replace(/[@/]/g, '_'));
      execFileSync('pnpm', ['pack', '--pack-destination', dest], { cwd: join(root, dir), stdio: 'ignore' });
      const tarball = readdirSync(dest).find((f) => f.endsWith('.tgz'));
      execFileSync('tar', ['-xzf', join(dest, tarball), '-C', dest]);
      const unpacked = join(dest, 'package');
      const text = readFileSync(join(unpacked, 'package.json'), 'utf8');
      const packed = JSON.parse(text);
      if (/"(workspace|catalog):/.test(text))
        problem(where, 'the packed manifest still has workspace: or catalog: ranges');
      if (packed.private === true) problem(where, 'packs as private');
      const targets = [...exportTargets(packed.exports), ...Object.values(packed.bin ?? {})];
      for (const target of targets)
        if (!existsSync(join(unpacked, target)))
          problem(where, `${target} is named by the manifest but not in the tarball`);
      for (const file of ['README.md', 'LICENSE', 'CHANGELOG.md'])
        if (!existsSync(join(unpacked, file))) problem(where, `the tarball has no ${file}`);
      const shipped = listFiles(unpacked).map((f) => relative(unpacked, f));
      const leaks = shipped.filter((f) => /\.test\.(js|d\.ts)$|(^|\/)src\/.*\.ts$|test-utils/.test(f));
      if (leaks.length > 0) problem(where, `ships tests or sources: ${leaks.slice(0, 3).join(', ')}`);
      console.log(`${where}: ${shipped.length} files, ${targets.length} entry points`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

const packages = workspacePackages();
checkManifests(packages);
if (!staticOnly && problems.length === 0) checkPacks(packages);

const publishedNames = packages.filter((p) => p.manifest.private !== true).map((p) => p.manifest.name);
const privateNames = packages.filter((p) => p.manifest.private === true).map((p) => p.manifest.name);
if (problems.length > 0) {
  for (const line of problems) console.error(line);
  console.error(`release dry run: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log(`release dry run: would publish ${publishedNames.join(', ')}`);
console.log(`versioned only (private): ${privateNames.join(', ')}`);
