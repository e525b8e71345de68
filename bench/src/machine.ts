import os from 'node:os';
import { postgresVersion } from './env/postgres.js';
import { redisVersion } from './env/redis.js';
import type { MachineInfo } from './report/types.js';

export async function machineInfo(): Promise<MachineInfo> {
  const cpus = os.cpus();
  return {
    nproc: os.availableParallelism(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    totalMemGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    postgres: await postgresVersion().catch(() => 'unreachable'),
    redis: await redisVersion().catch(() => 'unreachable'),
  };
}
