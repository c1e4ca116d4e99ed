import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';

/**
 * The `-a` address: a unix socket path as the original agent takes it (`/tmp/agent.sock`), `unix:` URIs
 * (`unix:///tmp/agent.sock`, `unix:relative.sock`), or a TCP `host:port` (`127.0.0.1:50051`, `[::1]:50051`).
 */

export type AgentAddress = { kind: 'unix'; path: string } | { kind: 'tcp'; target: string };

const TCP = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;

export function parseAgentAddress(address: string): AgentAddress {
  if (address === '') throw new Error('the address (-a) is empty: give a unix socket path or host:port');
  if (address.startsWith('unix://')) return { kind: 'unix', path: address.slice('unix://'.length) };
  if (address.startsWith('unix:')) return { kind: 'unix', path: address.slice('unix:'.length) };
  if (TCP.test(address)) return { kind: 'tcp', target: address };
  return { kind: 'unix', path: address };
}

/** What grpc-js binds and clients connect to. */
export function grpcTarget(address: AgentAddress): string {
  return address.kind === 'tcp' ? address.target : `unix://${path.resolve(address.path)}`;
}

/**
 * Removes a socket file left by an agent that died without cleaning up (the original fails on it; its installer
 * offers to delete it). A socket something still answers on is refused: two agents on one path would steal each
 * other's clients. A path that is not a socket is never deleted.
 */
export async function clearStaleSocket(socketPath: string): Promise<void> {
  const stat = await fs.lstat(socketPath).catch(() => undefined);
  if (!stat) return;
  if (!stat.isSocket()) throw new Error(`${socketPath} exists and is not a socket; remove it or choose another address (-a)`);
  if (await isLive(socketPath)) throw new Error(`${socketPath} is in use: another process is listening on it`);
  await fs.rm(socketPath, { force: true });
}

function isLive(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false)); // ECONNREFUSED: nobody listens, the file is stale
  });
}
