import { memoryStore, type Store } from '@mainspring/core';

/** The demo's store: in memory until the embedded Postgres store lands. */
export async function openStore(): Promise<Store> {
  return memoryStore();
}
