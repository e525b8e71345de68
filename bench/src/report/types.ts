import type { Options } from '../cli.js';
import type { Metrics } from '../scenarios/context.js';

export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  totalMemGb: number;
  os: string;
  node: string;
  postgres: string;
  redis: string;
}

export interface TargetInfo {
  id: string;
  lib: string;
  backend: string;
  variant: string;
  version: string;
  settings: Record<string, unknown>;
  scenarios: string[];
  /** Scenarios this target does not take part in, with the reason. */
  skipped: Record<string, string>;
  available: boolean;
  error?: string;
}

export interface MeasurementResult {
  target: string;
  scenario: string;
  label: string;
  params: Record<string, number>;
  runs: Metrics[];
  errors: string[];
  /** Median of each numeric metric over the successful runs; null when every run failed. */
  median: Metrics | null;
}

/** Mainspring's ratio to one peer; every ratio reads "> 1 means Mainspring is better". */
export interface Comparison {
  mainspring: string;
  peer: string;
  jobsPerSec: number | null;
  p50: number | null;
  p99: number | null;
  peakRss: number | null;
}

export interface GoalCheck {
  goal: string;
  measured: string;
  /** null when the run did not measure what the goal needs. */
  met: boolean | null;
}

export interface BenchResults {
  schema: 'mainspring-bench/1';
  startedAt: string;
  finishedAt: string;
  durationSec: number;
  mode: 'quick' | 'full';
  command: string;
  machine: MachineInfo;
  options: Options;
  targets: TargetInfo[];
  measurements: MeasurementResult[];
  comparisons: Comparison[];
  goals: GoalCheck[];
}
