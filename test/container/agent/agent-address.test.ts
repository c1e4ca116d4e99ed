import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { runAgent } from '../../../bin/commands/agent';
import { parseAgentAddress } from '../../../container/agent/agent-address';
import { parseAgentConfig } from '../../../container/agent/agent-config';
import { startAgent } from '../../../container/agent/start-agent';
import pino from 'pino';
import { connect, tempDir } from './agent-client';

const silent = pino({ level: 'silent' });
const config = parseAgentConfig({}, 'test');

describe('the -a address', () => {
  it.each([
    ['/tmp/sagemaker_edge_agent_example.sock', { kind: 'unix', path: '/tmp/sagemaker_edge_agent_example.sock' }],
    ['unix:///tmp/a.sock', { kind: 'unix', path: '/tmp/a.sock' }],
    ['unix:a.sock', { kind: 'unix', path: 'a.sock' }],
    ['agent.sock', { kind: 'unix', path: 'agent.sock' }],
    ['127.0.0.1:50051', { kind: 'tcp', target: '127.0.0.1:50051' }],
    ['[::1]:50051', { kind: 'tcp', target: '[::1]:50051' }],
    ['localhost:0', { kind: 'tcp', target: 'localhost:0' }],
  ])('reads %s', (address, expected) => {
    expect(parseAgentAddress(address)).toEqual(expected);
  });

  it('serves over TCP too', async () => {
    const agent = await startAgent({ address: '127.0.0.1:0', config, logger: silent });
    // port 0 is resolved by grpc-js; the target keeps what was asked, so only the start itself is checked here
    expect(agent.target).toBe('127.0.0.1:0');
    await agent.close();
  });
});

describe('socket files', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir('tfserve-agent-sock-')));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('removes a stale socket left by a killed process, and its own socket on close', async () => {
    const socket = path.join(dir, 'agent.sock');
    const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(socket)}, () => process.kill(process.pid, 'SIGKILL'))`]);
    await new Promise((resolve) => child.once('exit', resolve));
    expect(fs.lstatSync(socket).isSocket()).toBe(true);
    const agent = await startAgent({ address: socket, config, logger: silent });
    const client = connect(agent.target);
    expect(await client.ListModels({})).toEqual({ models: [] });
    client.close();
    await agent.close();
    expect(fs.existsSync(socket)).toBe(false);
  });

  it('refuses a socket another process listens on, and a path that is not a socket', async () => {
    const socket = path.join(dir, 'live.sock');
    const live = net.createServer();
    await new Promise<void>((resolve) => live.listen(socket, resolve));
    await expect(startAgent({ address: socket, config, logger: silent })).rejects.toThrow(`${socket} is in use: another process is listening on it`);
    await new Promise((resolve) => live.close(resolve));
    const file = path.join(dir, 'file');
    fs.writeFileSync(file, 'keep me');
    await expect(startAgent({ address: file, config, logger: silent })).rejects.toThrow(`${file} exists and is not a socket`);
    expect(fs.readFileSync(file, 'utf8')).toBe('keep me');
  });

  it.each(['SIGTERM', 'SIGHUP'])('tfserve agent stops cleanly on %s and exits 0', async (signal) => {
    const socket = path.join(dir, 'agent.sock');
    const configFile = path.join(dir, 'config.json');
    fs.writeFileSync(configFile, JSON.stringify({ sagemaker_edge_core_device_name: 'd' }));
    const signals = new EventEmitter();
    let exited: (code: number) => void = () => undefined;
    const exitCode = new Promise<number>((resolve) => (exited = resolve));
    const agent = await runAgent({ address: socket, config: configFile }, exited, signals);
    const client = connect(agent.target);
    expect(await client.ListModels({})).toEqual({ models: [] });
    client.close();
    signals.emit(signal);
    expect(await exitCode).toBe(0);
    expect(fs.existsSync(socket)).toBe(false);
  });
});
