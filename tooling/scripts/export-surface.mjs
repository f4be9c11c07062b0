#!/usr/bin/env node
// How wide each package's surface is: the names its src/index.ts exports, and how many of them another workspace
// package imports (tests included; a `./testing` subpath counts for its own package). A name no other package
// imports is either used only inside its own package (make it internal) or not at all (knip says which).
//
//   node tooling/scripts/export-surface.mjs          one line per package
//   node tooling/scripts/export-surface.mjs --names  also the names nobody else imports
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const root = new URL('../..', import.meta.url).pathname;
const showNames = process.argv.includes('--names');

const packages = ['packages', 'apps', 'tooling'].flatMap((group) =>
  readdirSync(join(root, group))
    .map((name) => join(group, name))
    .filter((dir) => existsSync(join(root, dir, 'package.json')))
    .map((dir) => ({ dir, name: JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')).name })),
);

function sourceFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist') continue;
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(m?ts|tsx)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
    }
  };
  walk(join(root, dir));
  return out;
}

/** The names a module exports, following `export *` and re-exports through the type checker. */
function exportedNames(indexFile, tsconfig) {
  const { config } = ts.readConfigFile(tsconfig, ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, join(tsconfig, '..'));
  const program = ts.createProgram([indexFile], { ...options, noEmit: true });
  const checker = program.getTypeChecker();
  const symbol = checker.getSymbolAtLocation(program.getSourceFile(indexFile));
  return symbol ? checker.getExportsOfModule(symbol).map((s) => s.getName()) : [];
}

/** Every name each file imports from each workspace package (`*` for a namespace import). */
function importsByPackage() {
  const names = new Map(packages.map((p) => [p.name, new Map()]));
  for (const { dir, name: importer } of packages) {
    for (const file of sourceFiles(dir)) {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
      for (const statement of source.statements) {
        if (!(ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) || !statement.moduleSpecifier)
          continue;
        const spec = statement.moduleSpecifier.text;
        const target = packages.find((p) => spec === p.name);
        if (!target || target.name === importer) continue;
        const used = names.get(target.name);
        const add = (n) => used.set(n, (used.get(n) ?? new Set()).add(importer));
        const clause = ts.isImportDeclaration(statement)
          ? statement.importClause?.namedBindings
          : statement.exportClause;
        if (!clause || ts.isNamespaceImport(clause) || ts.isNamespaceExport(clause)) add('*');
        else for (const el of clause.elements) add((el.propertyName ?? el.name).text);
      }
    }
  }
  return names;
}

const imports = importsByPackage();
let totalExports = 0;
let totalUsed = 0;
for (const { dir, name } of packages) {
  const index = join(root, dir, 'src', 'index.ts');
  if (!existsSync(index)) continue;
  const exported = exportedNames(index, join(root, dir, 'tsconfig.json'));
  const used = imports.get(name);
  const importedElsewhere = used.has('*') ? exported : exported.filter((n) => used.has(n));
  totalExports += exported.length;
  totalUsed += importedElsewhere.length;
  console.log(
    `${name.padEnd(28)} ${String(exported.length).padStart(3)} exports, ${String(importedElsewhere.length).padStart(3)} imported by another package`,
  );
  if (showNames) {
    const unused = exported.filter((n) => !importedElsewhere.includes(n));
    if (unused.length > 0) console.log(`  only its own: ${unused.join(', ')}`);
  }
}
console.log(
  `${'all'.padEnd(28)} ${String(totalExports).padStart(3)} exports, ${String(totalUsed).padStart(3)} imported by another package`,
);
