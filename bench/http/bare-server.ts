/**
 * The limit for bench/http.ts: node:http with nothing but the work every answer needs, in-process on the main
 * thread: read the body, parse it with the project's TF Serving request parser, run the model on the engine
 * TFSERVE_ENGINE selects (the container's choice), format the response. No express, routing, logging, content
 * negotiation or worker threads.
 *
 *   node dist/bench/http/bare-server.js <SavedModel dir> <port>
 *
 * Listens on 127.0.0.1:<port>, prints `{"engine":…}` on stdout, and stops on SIGTERM.
 */
import * as http from 'node:http';
import { loadModel } from '../../container/engine/select-engine';
import { runTfsMethod } from '../../container/tfs/methods';

async function main(modelDir: string, port: number): Promise<void> {
  const model = await loadModel(modelDir);
  const server = http.createServer((req, res) => {
    if (req.url === '/ping') {
      res.writeHead(200).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      runTfsMethod(model, 'predict', Buffer.concat(chunks)).then(
        (body) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(body),
        (error: Error) => res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: error.message })),
      );
    });
  });
  server.listen(port, '127.0.0.1');
  process.stdout.write(`${JSON.stringify({ engine: model.engine })}\n`);
  process.once('SIGTERM', () => {
    server.close(() => model.dispose());
    server.closeAllConnections();
  });
}

main(process.argv[2], Number(process.argv[3])).catch((error: unknown) => {
  process.stderr.write(`bare-server: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
