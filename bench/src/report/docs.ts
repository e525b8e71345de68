import { readFile, writeFile } from 'node:fs/promises';

const START = '<!-- bench:latest:start -->';
const END = '<!-- bench:latest:end -->';

/** Replaces the generated section of docs/benchmarks.md (between its markers) with a run's tables. */
export async function writeDocs(path: string, markdown: string): Promise<void> {
  const doc = await readFile(path, 'utf8');
  const a = doc.indexOf(START);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${path} has no ${START} … ${END} section`);
  await writeFile(path, `${doc.slice(0, a + START.length)}\n${markdown}${doc.slice(b)}`);
}
