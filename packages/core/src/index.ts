// Public API of @mainspring/core. Only exports live here.
export { defineJob } from './define/job.js';
export type { BatchJobOptions, BatchHandler, BatchContext, CircuitBreakerOptions } from './define/job.js';
export type { BreakerState, BreakerStatus } from './flow/breaker.js';
export type { JobDefinition, JobOptions, JobContext, JobHandler, PayloadSchema, PayloadOf } from './define/job.js';
export { defineSchedule } from './define/schedule.js';
export type { ScheduleDefinition, ScheduleOptions, SchedulePayload } from './define/schedule.js';
export type { ScheduleApi, DynamicScheduleInput, ScheduleInfo, ScheduleDetails, ScheduleRun } from './schedule/api.js';
export type { FiredJob } from './schedule/scheduler.js';
export { parseCron, nextFireTimes, previousFireTimes, nextFireTime, fireKey, describeNext, describeFireTime } from './schedule/index.js';
export type { CatchUpOption, FireTimeDescription } from './schedule/index.js';
export type { EnqueueOptions, EnqueueResult } from './define/enqueue-options.js';
export { createMainspring, Mainspring } from './mainspring.js';
export type { MainspringOptions, StartOptions, RetentionOptions, EnqueueManyItem } from './mainspring.js';
export type { MainspringEvents } from './events.js';
export {
  MainspringError, ValidationError, NonRetryableError, TimeoutError, JobNotFoundError, StoreUnavailableError, ConfigError,
} from './errors.js';
export type { ValidationIssue } from './errors.js';
export { JobAbortedError } from './runner/execute.js';
export type { AbortCause } from './runner/execute.js';
export { toMs } from './duration.js';
export type { Duration } from './duration.js';
export { retryDelay, DEFAULT_RETRY } from './retry.js';
export type { RetryPolicy, Backoff } from './retry.js';
export type { Logger } from './logger.js';
export { consoleLogger, silentLogger } from './logger.js';
export { memoryStore } from './store/memory.js';
export type { MemoryStoreOptions } from './store/memory.js';
export { isTransientStoreError } from './store/transient.js';
export { JOB_STATES } from './store/contract.js';
export type * from './store/contract.js';
export { createMonitorHandler } from './monitor/http-api.js';
export type { MonitorOptions } from './monitor/http-api.js';
