import type { RecordCodec } from '../codecs/record-codec';
import type { ObjectStore, StoredObject } from '../store/object-store';
import { counted, gunzipped } from './object-source';
import { OrderedOutput } from './ordered-output';
import { payloadsOf, type Payload, type PayloadPlan } from './payloads';
import type { Slots } from './slots';
import type { ObjectResult, ProgressSink } from './transform-result';

/**
 * One input object, one unit of work (spec §8): read, decompress, split, pack, invoke with the job's concurrency,
 * write the responses in input order to `<key>.out` and commit it only if every request succeeded. The first
 * failure stops sending more of this object; requests already sent finish, then the output is aborted.
 */

export interface ObjectTransformJob {
  input: ObjectStore;
  output: ObjectStore;
  codec: RecordCodec;
  gzip: boolean;
  plan: Omit<PayloadPlan, 'source'>;
  invoke(body: Uint8Array, what: string): Promise<Buffer>;
  /** The response as written: DataProcessing and AssembleWith applied. */
  assemble(payload: Payload, response: Buffer): Uint8Array;
  /** At most MaxConcurrentTransforms requests in flight across the job. */
  requests: Slots;
  /**
   * Bodies sent or answered but not yet written, across the job: bounds memory when one slow request holds back
   * the writing of those after it.
   */
  window: Slots;
  progress: ProgressSink;
}

export async function transformObject(object: StoredObject, job: ObjectTransformJob): Promise<ObjectResult> {
  const result: ObjectResult = { key: object.key, status: 'Completed', records: 0, requests: 0, bytesIn: 0, bytesOut: 0 };
  let failure: unknown;
  const writer = await job.output.createWriter(`${object.key}.out`).catch((error: unknown) => {
    failure = error;
    return undefined;
  });
  if (writer === undefined) return failed(result, failure);

  const heldWindows = new Map<number, () => void>();
  const output = new OrderedOutput(writer, (index) => {
    heldWindows.get(index)?.();
    heldWindows.delete(index);
  });
  const sending = new Set<Promise<void>>();

  const send = async (payload: Payload) => {
    const what = describePayload(object.key, payload);
    const release = await job.requests.acquire();
    let response: Buffer;
    try {
      if (failure !== undefined) return;
      response = await job.invoke(payload.body, what);
    } finally {
      release();
    }
    result.requests++;
    result.records += payload.recordCount;
    job.progress.recordsDone(payload.recordCount);
    let chunk: Uint8Array;
    try {
      chunk = job.assemble(payload, response);
    } catch (error) {
      throw new Error(`${what}: ${(error as Error).message}`, { cause: error });
    }
    await output.put(payload.index, chunk);
  };

  try {
    const bytes = counted(job.input.read(object.key), (count) => {
      result.bytesIn += count;
      job.progress.bytesRead(count);
    });
    const source = job.gzip ? gunzipped(bytes, object.key) : bytes;
    for await (const payload of payloadsOf(job.codec.split(source, object.key), { ...job.plan, source: object.key })) {
      heldWindows.set(payload.index, await job.window.acquire());
      if (failure !== undefined) break;
      const task = send(payload).catch((error: unknown) => {
        failure ??= error;
      });
      sending.add(task);
      void task.finally(() => sending.delete(task));
    }
  } catch (error) {
    failure ??= error;
  }
  await Promise.all(sending);
  await output.flushed().catch((error: unknown) => {
    failure ??= error;
  });
  for (const release of heldWindows.values()) release();

  if (failure === undefined) {
    try {
      await writer.commit();
      result.bytesOut = output.bytesWritten;
      return result;
    } catch (error) {
      failure = error;
    }
  }
  await writer.abort().catch(() => undefined);
  return failed(result, failure);
}

function failed(result: ObjectResult, error: unknown): ObjectResult {
  return { ...result, status: 'Failed', bytesOut: 0, error: error instanceof Error ? error.message : String(error) };
}

function describePayload(key: string, payload: Payload): string {
  const last = payload.firstRecord + payload.recordCount - 1;
  return payload.recordCount === 1 ? `${key} record ${payload.firstRecord}` : `${key} records ${payload.firstRecord}-${last}`;
}
