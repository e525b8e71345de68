import type { MeasurementResult } from './types.js';

/** Finds a median metric of one target's scenario (optionally one parameter label). */
export function metric(ms: MeasurementResult[], target: string, scenario: string, key: string, label?: string): number | null {
  const m = ms.find((x) => x.target === target && x.scenario === scenario && (label === undefined || x.label === label));
  const v = m?.median?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** `a / b` when both exist and b is not zero. */
export function ratio(a: number | null, b: number | null): number | null {
  return a !== null && b !== null && b !== 0 ? a / b : null;
}
