import { spawnSync } from 'node:child_process';
import { pinLoadGenerator } from '../http/servers';

/**
 * bench/http's split (servers on CPU 0, load generator on CPU 1) for a container that the runner's own code forks,
 * where no `taskset` prefix can go: a child inherits its parent's CPUs, so this process moves to CPU 0 while the
 * container starts, then to CPU 1, where the runner and autocannon both run. Without taskset nothing moves.
 */
export async function startOnServerCpu<T>(start: () => Promise<T>): Promise<{ started: T; pinning: string }> {
  spawnSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)]);
  try {
    return { started: await start(), pinning: pinLoadGenerator() };
  } catch (error) {
    pinLoadGenerator();
    throw error;
  }
}
