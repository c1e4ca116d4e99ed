import { startServer, type RunningServer } from '../../container/server/serve';

/**
 * The batch container as a child process of the runner (container-process.ts starts it): the project's own server
 * with the job's Environment as its whole environment, on 127.0.0.1 and a free port. The model directory is the
 * last argument. The URL goes to the parent over IPC as soon as the server listens; readiness is then /ping's to tell.
 *
 * It imports the server directly, unlike the rest of transform/ (which talks to a container over HTTP only): this
 * file IS the container process, only started from here.
 */

export interface ContainerMessage {
  url: string;
}

async function main(): Promise<void> {
  const modelDir = process.argv[process.argv.length - 1];
  let server: RunningServer | undefined;
  const stop = () => {
    void (server?.close() ?? Promise.resolve()).finally(() => process.exit(0));
  };
  // SIGTERM from the runner, or the runner gone (the IPC channel closes): either way the job is over.
  process.once('SIGTERM', stop);
  process.once('disconnect', stop);
  server = await startServer({
    modelDir,
    port: 0,
    host: '127.0.0.1',
    env: process.env,
    onListening: (listening) => process.send?.({ url: listening.url } satisfies ContainerMessage),
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`container: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
