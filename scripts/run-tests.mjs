#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with node's test runner.
// `--unit` skips test/e2e (the scenarios that start a real cluster).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const unitOnly = process.argv.includes('--unit');
const roots = unitOnly ? ['src'] : ['src', 'test'];
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.test.ts')) files.push(path);
  }
};
for (const root of roots) walk(root);
files.sort();
const extra = process.argv.slice(2).filter((a) => a !== '--unit');
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...extra, ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
