import { StoreUnavailableError } from '../errors.js';

// Connection-level failures that say "the store is away", as opposed to a bad query or bad data.
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH',
  '57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006',
]);
const TRANSIENT_MESSAGES = /connection (is )?(closed|terminated|refused|ended)|Connection terminated|socket hang up|Client has encountered a connection error|Stream isn't writeable|max retries per request|LOADING|not connected|timeout exceeded when trying to connect/i;

/** True for errors that mean the store is unreachable right now and a later retry may succeed. */
export function isTransientStoreError(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  if (!error || typeof error !== 'object') return false;
  const { code, message, name } = error as { code?: unknown; message?: unknown; name?: unknown };
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
  if (name === 'MaxRetriesPerRequestError') return true;
  return typeof message === 'string' && TRANSIENT_MESSAGES.test(message);
}

/** Turns connection failures into `StoreUnavailableError` (with the original as `cause`); other errors pass through. */
export function toStoreError(error: unknown, storeName: string): unknown {
  if (error instanceof StoreUnavailableError || !isTransientStoreError(error)) return error;
  return new StoreUnavailableError(`Store "${storeName}" is unavailable: ${(error as Error).message}`, { cause: error });
}
