import { Command, InvalidArgumentError } from 'commander';
import { startServer, type RunningServer, type StartServerOptions } from '../../container/server/serve';

/** `tfserve serve`: the container's entry point (SageMaker runs `docker run <image> serve`). */

const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * On SIGTERM or SIGINT: stop accepting connections, finish in-flight requests, free the models, exit 0.
 * SageMaker sends SIGKILL 30 s after SIGTERM, so there is no timeout of our own.
 */
export function stopOnSignals(
  server: Pick<RunningServer, 'close'>,
  exit: (code: number) => void = process.exit,
  signals: NodeJS.EventEmitter = process,
  names: readonly NodeJS.Signals[] = STOP_SIGNALS,
): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close().then(
      () => exit(0),
      (error: unknown) => {
        process.stderr.write(`tfserve: error while stopping: ${(error as Error).message}\n`);
        exit(1);
      },
    );
  };
  for (const signal of names) signals.once(signal, stop);
}

/** Serves until SIGTERM or SIGINT; the signals are handled from the moment the server listens, models loaded or not. */
export function runServe(options: StartServerOptions): Promise<RunningServer> {
  return startServer({ ...options, onListening: (server) => stopOnSignals(server) });
}

function parsePort(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError('must be a port number from 0 to 65535');
  return Number(value);
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('serve the SavedModels under the model directory over the SageMaker inference HTTP API')
    .option(
      '--model-dir <dir>',
      'models root holding <name>/<version>/saved_model.pb (default: /opt/ml/model, or /opt/ml/models when SAGEMAKER_MULTI_MODEL=true)',
    )
    .option('--port <port>', 'port to listen on (default: SAGEMAKER_BIND_TO_PORT, else 8080)', parsePort)
    .option('--host <host>', 'address to listen on', '0.0.0.0')
    .action(async (options: { modelDir?: string; port?: number; host: string }) => {
      await runServe({ modelDir: options.modelDir, port: options.port, host: options.host });
    });
}
