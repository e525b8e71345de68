import type { WakeEvent } from '@mainspring/core';
import type { Cluster, Redis } from 'ioredis';

/**
 * Wake-ups over Redis pub/sub on a connection of its own (a subscribed connection can run no other
 * command). ioredis reconnects it with the store's backoff and re-subscribes by itself, so
 * listeners keep receiving after a dropped connection or a server restart; runners still poll as
 * the fallback for anything published while it was away.
 */
export class Subscriber {
  private connection: Redis | Cluster | null = null;
  private subscribing: Promise<void> | null = null;
  private readonly listeners = new Set<(event: WakeEvent) => void>();

  constructor(
    private readonly open: () => Redis | Cluster,
    private readonly channel: string,
  ) {}

  async add(listener: (event: WakeEvent) => void): Promise<() => Promise<void>> {
    this.listeners.add(listener);
    await this.start();
    return async () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) await this.stop();
    };
  }

  private start(): Promise<void> {
    if (!this.subscribing) {
      const connection = this.open();
      connection.on('error', () => {});
      connection.on('message', (channel: string, message: string) => {
        if (channel === this.channel) this.dispatch(message);
      });
      this.connection = connection;
      this.subscribing = connection.subscribe(this.channel).then(() => undefined);
      this.subscribing.catch(() => {
        this.subscribing = null;
      });
    }
    return this.subscribing;
  }

  private dispatch(message: string): void {
    let event: WakeEvent;
    try {
      const parsed = JSON.parse(message) as WakeEvent;
      event = { queue: String(parsed.queue), name: String(parsed.name) };
    } catch {
      return;
    }
    for (const listener of [...this.listeners]) {
      try {
        listener({ ...event });
      } catch {
        // One listener's failure must not starve the others.
      }
    }
  }

  async stop(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    this.subscribing = null;
    this.listeners.clear();
    if (connection) await quit(connection);
  }
}

/** QUIT politely, or drop the socket when the server is away. */
export async function quit(connection: Redis | Cluster): Promise<void> {
  try {
    if (connection.status === 'end') return;
    if (connection.status !== 'ready') {
      connection.disconnect();
      return;
    }
    await connection.quit();
  } catch {
    connection.disconnect();
  }
}
