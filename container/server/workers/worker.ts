import { parentPort, workerData } from 'node:worker_threads';
import type { LoadedModel } from '../../engine/engine';
import type { SelectLoadOptions } from '../../engine/select-engine';
import { BatchedSender, packTensors, serializeError, unpackTensors, type FromWorker, type ToWorker, type WorkerData } from './protocol';

/**
 * An inference worker: loads every model version the pool asks for and runs the calls it is sent in order (the pool
 * keeps a few in flight; calls it drops from its own queue are never sent here).
 */

type EngineModule = Pick<typeof import('../../engine/select-engine'), 'loadModel' | 'describeEngineChoice'>;
type LoadModel = (dir: string, options?: SelectLoadOptions) => Promise<LoadedModel>;

const port = parentPort!;
const { loaderModule } = workerData as WorkerData;
// required, not imported: a test's fake loader must not pull in the engine and tfjs
const engine = loaderModule ? undefined : (require('../../engine/select-engine') as EngineModule);
const loadModel: LoadModel = engine?.loadModel ?? (require(loaderModule!) as { loadModel: LoadModel }).loadModel;
const models = new Map<number, LoadedModel>();

const sender = new BatchedSender<FromWorker>(port);
const post = (message: FromWorker, transfer: ArrayBuffer[] = []) => sender.send(message, transfer);

port.on('message', (messages: ToWorker[]) => {
  for (const message of messages) void handle(message);
});

async function handle(message: ToWorker): Promise<void> {
  if (message.type === 'dispose') {
    models.get(message.modelId)?.dispose();
    models.delete(message.modelId);
    return;
  }
  try {
    if (message.type === 'load') {
      const model = await loadModel(message.dir, { log: (text) => post({ type: 'log', message: text }) });
      models.set(message.modelId, model);
      post({ type: 'loaded', id: message.id, info: { engine: model.engine, tags: model.tags, signatures: model.signatures } });
      return;
    }
    const model = models.get(message.modelId);
    if (!model) throw new Error(`model ${message.modelId} is not loaded in this worker`);
    const outputs = await model.run(message.signature, unpackTensors(message.inputs));
    const packed = packTensors(outputs, false);
    post({ type: 'result', id: message.id, outputs: packed.tensors }, packed.transfer);
  } catch (error) {
    post({ type: 'failed', id: message.id, error: serializeError(error) });
  }
}

post({ type: 'ready', engine: engine?.describeEngineChoice() });
