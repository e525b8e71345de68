export { parseCron, assertTimeZone, ParsedCron, CRON_ALIASES } from './cron.js';
export { nextFireTimes, previousFireTimes, nextFireTime, type CronSource, type Instant } from './fire-times.js';
export {
  dueFires,
  normalizeCatchUp,
  DEFAULT_CATCH_UP_GRACE_MS,
  type CatchUpOption,
  type DueFire,
  type DueFiresParams,
  type DueFiresResult,
} from './catch-up.js';
export { fireKey } from './fire-key.js';
export { describeNext, describeFireTime, type FireTimeDescription } from './describe.js';
