import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Version of a package installed in bench/node_modules (or a workspace package's own package.json). */
export function installedVersion(pkg: string): string {
  const url = new URL(`../../node_modules/${pkg}/package.json`, import.meta.url);
  try {
    return (JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
