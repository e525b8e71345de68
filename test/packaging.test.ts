// The published shape of every package: `pnpm pack` includes the build, and the packed package
// loads through its exports map with both `import` and `require`. Run after `npm run build`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const packages = readdirSync(join(root, 'packages'))
  .map((dir) => join(root, 'packages', dir))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => !manifest.private && manifest.exports);

describe.each(packages)('package $manifest.name', ({ dir, manifest }) => {
  it('is built and packs its dist', () => {
    expect(existsSync(join(dir, 'dist')), `${manifest.name} has no dist: run npm run build`).toBe(true);
    const out = execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: dir, encoding: 'utf8' });
    const files: string[] = JSON.parse(out)[0].files.map((f: { path: string }) => f.path);
    for (const entry of Object.values<any>(manifest.exports)) {
      for (const target of [entry.import?.default, entry.require?.default, entry.import?.types, entry.require?.types]) {
        if (target) expect(files).toContain(target.replace(/^\.\//, ''));
      }
    }
  });

  it('loads with import and with require through its exports map', () => {
    const app = mkdtempSync(join(tmpdir(), 'ms-pack-'));
    const scope = join(app, 'node_modules', manifest.name.split('/')[0]);
    mkdirSync(scope, { recursive: true });
    symlinkSync(dir, join(app, 'node_modules', manifest.name), 'dir');
    for (const subpath of Object.keys(manifest.exports)) {
      const specifier = manifest.name + subpath.slice(1);
      const esm = execFileSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(specifier)}); console.log(Object.keys(m).length)`], { cwd: app, encoding: 'utf8' });
      const cjs = execFileSync(process.execPath, ['-e', `console.log(Object.keys(require(${JSON.stringify(specifier)})).length)`], { cwd: app, encoding: 'utf8' });
      expect(Number(esm), `${specifier} via import`).toBeGreaterThan(0);
      expect(Number(cjs), `${specifier} via require`).toBe(Number(esm));
    }
  });
});
