import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LoadedModel } from '../../../../container/engine/engine';
import type { NamedTensors } from '../../../../container/formats/tensor';
import { FakeModel } from '../fake-model';

/**
 * A model loader for inference workers in tests (StartServerOptions.workerLoaderModule). Each model is a FakeModel
 * whose load waits while `<dir>/hold-load` exists and whose run blocks its worker thread, as a long CPU-bound
 * inference does, while `<dir>/hold` exists. Every run start appends its signature to `<dir>/runs.log`; the `exit`
 * signature ends the worker thread.
 */

const pause = new Int32Array(new SharedArrayBuffer(4));

function blockWhile(file: string): void {
  while (fs.existsSync(file)) Atomics.wait(pause, 0, 0, 5);
}

class HeldModel extends FakeModel {
  constructor(private readonly dir: string) {
    super();
  }

  override async run(signatureKey: string, inputs: NamedTensors): Promise<NamedTensors> {
    fs.appendFileSync(path.join(this.dir, 'runs.log'), `${signatureKey}\n`);
    blockWhile(path.join(this.dir, 'hold'));
    if (signatureKey === 'exit') process.exit(3);
    return super.run(signatureKey, inputs);
  }
}

export async function loadModel(dir: string): Promise<LoadedModel> {
  while (fs.existsSync(path.join(dir, 'hold-load'))) await new Promise((resolve) => setTimeout(resolve, 5));
  if (fs.existsSync(path.join(dir, 'broken'))) throw new Error(`cannot read ${dir}: broken on purpose`);
  return new HeldModel(dir);
}
