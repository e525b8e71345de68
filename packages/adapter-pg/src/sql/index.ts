import * as admin from './admin.js';
import * as claim from './claim.js';
import * as insert from './insert.js';
import * as prune from './prune.js';
import * as schedules from './schedules.js';
import * as settle from './settle.js';

/** Every fixed statement the store runs, built once for one quoted schema name (lists and counts vary with their filters: see PgStore.filtered). */
export function buildStatements(s: string) {
  return {
    insertJobs: insert.insertJobs(s),
    insertJob: insert.insertJob(s),
    claimJobs: claim.claimJobs(s),
    claimJobsLimited: claim.claimJobsLimited(s),
    completeJobs: settle.completeJobs(s),
    failJobs: settle.failJobs(s),
    releaseJobs: settle.releaseJobs(s),
    extendLeases: settle.extendLeases(s),
    rescueExpired: settle.rescueExpired(s),
    setProgress: settle.setProgress(s),
    cancelJob: admin.cancelJob(s),
    retryJob: admin.retryJob(s),
    promoteJob: admin.promoteJob(s),
    removeJob: admin.removeJob(s),
    getJob: admin.getJob(s),
    attemptMetrics: admin.attemptMetrics(s),
    listAttempts: admin.listAttempts(s),
    clockNow: admin.clockNow(),
    upsertSchedule: schedules.upsertSchedule(s),
    getSchedule: schedules.getSchedule(s),
    listSchedules: schedules.listSchedules(s),
    removeSchedule: schedules.removeSchedule(s),
    advanceSchedule: schedules.advanceSchedule(s),
    upsertPause: schedules.upsertPause(s),
    removePause: schedules.removePause(s),
    listPauses: schedules.listPauses(s),
    pruneJobs: prune.pruneJobs(s),
    pruneAttempts: prune.pruneAttempts(s),
  };
}

export type Statements = ReturnType<typeof buildStatements>;
