// The Lua scripts, embedded as text: vitest reads `?raw` natively and tsup.config.ts does the same
// for the build, so src (tests) and dist (published) run the very same files from lua/.
import lib from '../lua/includes/lib.lua?raw';
import insertJob from '../lua/includes/insertJob.lua?raw';
import insert from '../lua/insert.lua?raw';
import claim from '../lua/claim.lua?raw';
import extend from '../lua/extend.lua?raw';
import complete from '../lua/complete.lua?raw';
import fail from '../lua/fail.lua?raw';
import release from '../lua/release.lua?raw';
import rescue from '../lua/rescue.lua?raw';
import progress from '../lua/progress.lua?raw';
import cancel from '../lua/cancel.lua?raw';
import retry from '../lua/retry.lua?raw';
import promote from '../lua/promote.lua?raw';
import remove from '../lua/remove.lua?raw';
import list from '../lua/list.lua?raw';
import metrics from '../lua/metrics.lua?raw';
import upsertSchedule from '../lua/upsertSchedule.lua?raw';
import fireSchedule from '../lua/fireSchedule.lua?raw';
import pause from '../lua/pause.lua?raw';
import resume from '../lua/resume.lua?raw';
import prune from '../lua/prune.lua?raw';

export const INCLUDES: Record<string, string> = { lib, insertJob };

export const SOURCES = {
  insert, claim, extend, complete, fail, release, rescue, progress, cancel, retry, promote, remove,
  list, metrics, upsertSchedule, fireSchedule, pause, resume, prune,
};

export type ScriptName = keyof typeof SOURCES;
