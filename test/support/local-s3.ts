import { spawn, type ChildProcess } from 'node:child_process';
import { S3Client, CreateBucketCommand } from '@aws-sdk/client-s3';
import { stopChild } from '../../transform/runner/stop-child';

/**
 * A real S3 server for tests: fauxqs (pure JS, installed from npm as a devDependency), in a child process because it
 * is ESM-only. It handles what SDK v3 sends by default (aws-chunked streaming uploads, CRC32 trailers, multipart),
 * which s3rver corrupts (see ../shared/spec/batch-transform.md, local S3 servers). Bound to 127.0.0.1 on a free port.
 */
export interface LocalS3 {
  endpoint: string;
  client: S3Client;
  /** Creates a bucket and returns its name. */
  bucket(name: string): Promise<string>;
  stop(): Promise<void>;
}

const launcher = `
import { startFauxqs } from 'fauxqs';
const server = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
process.stdout.write('PORT ' + server.port + '\\n');
process.on('SIGTERM', async () => { await server.stop(); process.exit(0); });
`;

/** Credentials and region for a client of the local server; they are not checked, only required by the SDK. */
export const localS3ClientConfig = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

export async function startLocalS3(timeoutMs = 20_000): Promise<LocalS3> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', launcher], {
    cwd: __dirname,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const port = await readPort(child, timeoutMs);
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client(localS3ClientConfig(endpoint));
  return {
    endpoint,
    client,
    async bucket(name) {
      await client.send(new CreateBucketCommand({ Bucket: name }));
      return name;
    },
    async stop() {
      client.destroy();
      await stopChild(child, 5_000);
    },
  };
}

function readPort(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`local S3 server did not start within ${timeoutMs} ms: ${err}`));
    }, timeoutMs);
    child.stderr!.on('data', (chunk) => (err += chunk));
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /PORT (\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`local S3 server exited with code ${code}: ${err}`));
    });
  });
}
