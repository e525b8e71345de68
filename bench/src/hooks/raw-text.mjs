// Module loader hook: `import text from './file.lua?raw'` gives the file's text, as vitest and the
// packages' tsup builds do. The Redis store embeds its Lua scripts this way, and the benchmark runs
// the packages' sources under tsx, which knows nothing of `?raw`.
import { readFile } from 'node:fs/promises';

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:') && url.endsWith('?raw')) {
    const text = await readFile(new URL(url.slice(0, -'?raw'.length)), 'utf8');
    return { format: 'module', source: `export default ${JSON.stringify(text)};`, shortCircuit: true };
  }
  return nextLoad(url, context);
}
