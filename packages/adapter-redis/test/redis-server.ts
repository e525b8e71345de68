import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A throwaway redis-server this test process starts, on a free port, in a temp dir. */
export interface TestServer {
  port: number;
  url: string;
  dir: string;
  /** kill -9 the server (no shutdown save, no goodbye to clients). */
  kill(): Promise<void>;
  /** Start it again on the same port and dir (so AOF/RDB files are reloaded). */
  restart(): Promise<void>;
  /** Stop it and delete its dir. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPing(port: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, enableReadyCheck: false });
    probe.on('error', () => {});
    try {
      await probe.connect();
      if ((await probe.ping()) === 'PONG') return;
    } catch {
      if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not start`);
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      probe.disconnect();
    }
  }
}

/**
 * Start `redis-server` with `args` (e.g. `['--appendonly', 'yes']`). Nothing persists unless args
 * ask for it; the server's files live in a temp dir removed by stop().
 */
export async function startRedisServer(args: string[] = []): Promise<TestServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'mainspring-redis-'));
  let child: ChildProcess | null = null;

  const launch = async (): Promise<void> => {
    const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...args], {
      stdio: 'ignore',
    });
    child = proc;
    try {
      await waitForPing(port);
    } catch (error) {
      // A server that never answered must not outlive the test.
      proc.kill('SIGKILL');
      throw error;
    }
  };
  const killNow = async (): Promise<void> => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
  };

  try {
    await launch();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    kill: killNow,
    restart: launch,
    async stop() {
      await killNow();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A one-node Redis Cluster (every slot on one server): the cluster rules apply, no other nodes needed. */
export async function startClusterNode(): Promise<TestServer> {
  const server = await startRedisServer(['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-announce-ip', '127.0.0.1']);
  const admin = new Redis(server.url);
  try {
    await admin.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
    const deadline = Date.now() + 30_000;
    while (!((await admin.call('CLUSTER', 'INFO')) as string).includes('cluster_state:ok')) {
      if (Date.now() > deadline) throw new Error('The one-node cluster did not become ready');
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch (error) {
    await server.stop();
    throw error;
  } finally {
    admin.disconnect();
  }
  return server;
}
