import { ValidationError } from '../errors.js';
import type { JobDefinition } from './job.js';

/** Parses a payload with the job's schema (if any); returns the parsed value or throws `ValidationError`. */
export function validatePayload<P>(definition: JobDefinition<P, any>, payload: unknown): P {
  if (!definition.schema) return payload as P;
  const parsed = definition.schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  throw new ValidationError(
    definition.name,
    parsed.error.issues.map((issue) => ({
      path: issue.path.map((part) => (typeof part === 'number' ? part : String(part))),
      message: issue.message,
    })),
  );
}
