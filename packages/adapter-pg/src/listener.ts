import pg from 'pg';

type Handler = (payload: string) => void;

const MIN_BACKOFF_MS = 50;
const MAX_BACKOFF_MS = 5_000;

/**
 * One dedicated connection that LISTENs on the channels its subscribers want. It lives outside
 * the pool because a pooled connection would be handed to other queries (and PgBouncer in
 * transaction mode would drop the LISTEN). When the connection drops (server restart,
 * pg_terminate_backend, network) it reconnects with backoff and LISTENs again by itself;
 * notifications sent while it was down are lost, which is why callers also poll.
 */
export class PgListener {
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private readonly handlers = new Map<string, Set<Handler>>();
  private closed = false;
  private backoff = MIN_BACKOFF_MS;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(private readonly config: pg.ClientConfig) {}

  /** Adds a handler; resolves once the channel is being listened to (or a reconnect is under way). */
  async add(channel: string, handler: Handler): Promise<() => Promise<void>> {
    let set = this.handlers.get(channel);
    const isNew = !set;
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(handler);
    try {
      await this.ensureConnected();
      if (isNew && this.client) await this.client.query(`listen "${channel}"`);
    } catch {
      // The reconnect loop LISTENs on every channel once the server is back.
      this.scheduleReconnect();
    }
    return async () => {
      const s = this.handlers.get(channel);
      if (!s || !s.delete(handler) || s.size > 0) return;
      this.handlers.delete(channel);
      await this.client?.query(`unlisten "${channel}"`).catch(() => {});
    };
  }

  private ensureConnected(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client(this.config);
    client.on('notification', (msg) => {
      for (const h of this.handlers.get(msg.channel) ?? []) h(msg.payload ?? '');
    });
    // 'error' and 'end' both mean this connection is gone; an unhandled 'error' would crash the process.
    const lost = () => {
      if (this.client !== client) return;
      this.client = null;
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', lost);
    try {
      await client.connect();
      for (const channel of this.handlers.keys()) await client.query(`listen "${channel}"`);
    } catch (err) {
      client.removeAllListeners('end');
      client.on('error', () => {});
      await client.end().catch(() => {});
      throw err;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.backoff = MIN_BACKOFF_MS;
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer || this.client) return;
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.ensureConnected().catch(() => this.scheduleReconnect());
    }, delay);
    // A pending reconnect must not keep the process alive on its own.
    this.retryTimer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    await this.connecting?.catch(() => {});
    const client = this.client;
    this.client = null;
    this.handlers.clear();
    if (client) await client.end().catch(() => {});
  }
}
