// Imported first by every entry point, before anything loads a Mainspring package. Bundled
// children (see run/bundle.ts) have their `?raw` imports inlined and need no hook.
import { register } from 'node:module';

if (process.env.BENCH_BUNDLED !== '1') register('./raw-text.mjs', import.meta.url);
