/**
 * Batch Transform throughput, each figure against its own limit, measured in one run:
 *
 * 1. split: the TFRecord codec (framing + both CRC-32Cs) over a generated file vs a raw sequential read of it;
 * 2. runner: `runLocalTransform` records/s (TFRecord, SingleRecord, application/x-tfexample, half_plus_three) vs
 *    autocannon posting the same record to /invocations at the same concurrency — the container's own limit;
 * 3. CNN: a transform of images (JSON Lines, and TFRecord tf.Examples; MultiRecord) vs the engine alone running the
 *    same images in-process, in the same batches.
 * Every side is measured warm: a first pass (or a short autocannon run) goes before each measurement. The runner and
 * autocannon take turns, three rounds each, and their medians are compared; autocannon sends the runner's headers.
 * The containers run on CPU 0 and this process (runner, autocannon, engine-only runs) on CPU 1, as in bench/http,
 * when taskset is there.
 *
 *   npx tsc && node dist/bench/transform.js [--size-mb 1024] [--records 20000] [--images 2048] [--concurrency 4]
 *
 * The containers run as child processes started the way the runner starts them (transform/runner/container-process.ts).
 * Files go to a temp directory, removed at the end. Prints a table; asserts nothing.
 */
import autocannon from 'autocannon';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeDemoModels } from '../container/engine/writer/demo-models';
import { CNN_ARCHITECTURE, CNN_SIGNATURE, cnnImages, writeCnnModel } from '../container/engine/writer/cnn-model';
import { PureEngine } from '../container/engine/pure-engine';
import { encodeExample } from '../container/formats/example';
import { frameTfRecord } from '../container/formats/tfrecord';
import { codecFor } from '../transform/codecs/codec-for';
import { startContainerProcess, type ContainerProcess } from '../transform/runner/container-process';
import { waitForPing } from '../transform/runner/container-probe';
import { runLocalTransform } from '../transform/runner/run-local-transform';
import { startOnServerCpu } from './transform/pinning';

const MiB = 1024 * 1024;
const SPLIT_RECORD_BYTES = 100_000;
const PASSES = 3;
const AUTOCANNON_SECONDS = 5;
/** A cold container (JIT, first model runs) would make whichever side runs first look slow. */
const WARMUP_SECONDS = 2;

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return (performance.now() - started) / 1000;
}

/** `sizeMb` of ~100 kB records, each payload different so the CRCs are real work. */
async function writeTfRecordFile(file: string, sizeMb: number): Promise<number> {
  const out = fs.createWriteStream(file);
  const payload = Buffer.alloc(SPLIT_RECORD_BYTES);
  for (let i = 0; i < payload.length; i++) payload[i] = (i * 31) & 0xff;
  let written = 0;
  for (let i = 0; written < sizeMb * MiB; i++) {
    payload.writeUInt32LE(i, 0);
    const frame = frameTfRecord(payload);
    written += frame.length;
    if (!out.write(frame)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return written;
}

async function benchSplit(dir: string, sizeMb: number) {
  const file = path.join(dir, 'split.tfrecord');
  const bytes = await writeTfRecordFile(file, sizeMb);
  const read = () => fs.createReadStream(file, { highWaterMark: MiB });
  const raw = [];
  const split = [];
  for (let pass = 0; pass < PASSES; pass++) {
    raw.push(await timed(async () => {
      for await (const _chunk of read());
    }));
    split.push(await timed(async () => {
      for await (const _record of codecFor('TFRecord').split(read(), file));
    }));
  }
  fs.rmSync(file);
  return { bytes, rawMibS: bytes / MiB / median(raw), splitMibS: bytes / MiB / median(split) };
}

/** The headers the runner sends for the runner bench's job, so that both sides ask the container for the same work. */
const RUNNER_HEADERS = { 'content-type': 'application/x-tfexample', accept: 'application/json' };

function autocannonRate(url: string, body: Buffer, connections: number, seconds = AUTOCANNON_SECONDS): Promise<number> {
  return new Promise((resolve, reject) => {
    autocannon(
      { url: `${url}/invocations`, method: 'POST', headers: RUNNER_HEADERS, body, connections, duration: seconds },
      (error, result) => (error ? reject(error) : resolve((result.requests.total - result.non2xx) / seconds)),
    );
  });
}

let pinning = 'not pinned';

async function startContainer(modelDir: string): Promise<ContainerProcess> {
  const pinned = await startOnServerCpu(() => startContainerProcess({ modelDir, env: { SAGEMAKER_BATCH: 'true', TFSERVE_LOG_LEVEL: 'warn' } }));
  pinning = pinned.pinning;
  const container = pinned.started;
  await waitForPing(container.url, { timeoutMs: 120_000, gone: container.exitReason });
  return container;
}

async function benchRunner(dir: string, records: number, concurrency: number) {
  const models = path.join(dir, 'models');
  await writeDemoModels(models);
  const example = (x: number) => encodeExample({ x: { kind: 'float', values: [x] } });
  fs.mkdirSync(path.join(dir, 'records'));
  fs.writeFileSync(path.join(dir, 'records', 'part-0.tfrecord'), Buffer.concat(Array.from({ length: records }, (_, i) => frameTfRecord(example(i)))));
  const container = await startContainer(models);
  try {
    await autocannonRate(container.url, Buffer.from(example(1)), concurrency, WARMUP_SECONDS);
    const job = (out: string) => ({
      TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: path.join(dir, 'records') } }, ContentType: RUNNER_HEADERS['content-type'], SplitType: 'TFRecord' },
      TransformOutput: { S3OutputPath: path.join(dir, out), Accept: RUNNER_HEADERS.accept, AssembleWith: 'Line' },
      BatchStrategy: 'SingleRecord',
      MaxConcurrentTransforms: concurrency,
    });
    await runLocalTransform(job('records-warmup'), { endpoint: container.url });
    // Interleaved rounds, medians: on a shared machine the load drifts, and it must drift over both sides alike.
    const runner = [];
    const direct = [];
    for (let round = 0; round < PASSES; round++) {
      runner.push(records / (await timed(() => runLocalTransform(job(`records-out-${round}`), { endpoint: container.url }))));
      direct.push(await autocannonRate(container.url, Buffer.from(example(1)), concurrency));
    }
    return { runnerRps: median(runner), directRps: median(direct) };
  } finally {
    await container.stop();
  }
}

/** One image as the JSON Lines line the container reads: a nested [32][32][3] array. */
function imageLine(values: Float32Array, offset: number): string {
  const [height, width, channels] = CNN_ARCHITECTURE.inputShape;
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = [];
    for (let x = 0; x < width; x++) {
      const at = offset + (y * width + x) * channels;
      row.push(Array.from(values.subarray(at, at + channels), (v) => Number(v.toFixed(4))));
    }
    rows.push(row);
  }
  return JSON.stringify(rows);
}

/**
 * The CNN's images in the two forms a transform takes them: JSON Lines (one nested list per line, Split Line) and
 * TFRecord (one tf.Example per image, its pixels a float_list feature named as the input, Split TFRecord, the
 * batch-transform blog's format). Both MultiRecord, so that requests carry as many images as 1 MB holds.
 */
const CNN_INPUTS = {
  'JSON Lines': {
    file: 'images.jsonl',
    contentType: 'application/jsonlines',
    splitType: 'Line',
    write: (values: Float32Array, images: number, perImage: number) =>
      `${Array.from({ length: images }, (_, i) => imageLine(values, i * perImage)).join('\n')}\n`,
  },
  TFRecord: {
    file: 'images.tfrecord',
    contentType: 'application/x-tfrecord',
    splitType: 'TFRecord',
    write: (values: Float32Array, images: number, perImage: number) =>
      Buffer.concat(
        Array.from({ length: images }, (_, i) => {
          const pixels = Array.from(values.subarray(i * perImage, (i + 1) * perImage));
          return frameTfRecord(encodeExample({ [CNN_SIGNATURE.input]: { kind: 'float', values: pixels } }));
        }),
      ),
  },
} as const;

type CnnInput = keyof typeof CNN_INPUTS;

async function benchCnn(dir: string, images: number, concurrency: number) {
  const models = path.join(dir, 'cnn-models');
  writeCnnModel(path.join(models, 'cnn', '1'));
  const batch = cnnImages(images);
  const perImage = CNN_ARCHITECTURE.inputShape.reduce((n, d) => n * d, 1);
  const container = await startContainer(models);
  const transforms = new Map<CnnInput, { seconds: number; requests: number }>();
  try {
    for (const [name, input] of Object.entries(CNN_INPUTS) as [CnnInput, (typeof CNN_INPUTS)[CnnInput]][]) {
      const inputDir = path.join(dir, `images-${input.splitType}`);
      fs.mkdirSync(inputDir);
      fs.writeFileSync(path.join(inputDir, input.file), input.write(batch.values, images, perImage));
      const job = (out: string) => ({
        TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: inputDir } }, ContentType: input.contentType, SplitType: input.splitType },
        TransformOutput: { S3OutputPath: path.join(dir, out), Accept: 'application/jsonlines', AssembleWith: 'Line' },
        BatchStrategy: 'MultiRecord',
        MaxPayloadInMB: 1,
        MaxConcurrentTransforms: concurrency,
      });
      await runLocalTransform(job(`${input.splitType}-warmup`), { endpoint: container.url });
      let requests = 0;
      const seconds = await timed(async () => {
        const result = await runLocalTransform(job(`${input.splitType}-out`), { endpoint: container.url });
        requests = result.objects[0].requests;
      });
      transforms.set(name, { seconds, requests });
    }
  } finally {
    await container.stop();
  }
  // The engine alone, in this process, on the same images in the same batch sizes, one batch at a time.
  const model = await new PureEngine().load(path.join(models, 'cnn', '1'));
  const engineSeconds = async (requests: number) => {
    const perRequest = Math.ceil(images / requests);
    const runBatches = async () => {
      for (let first = 0; first < images; first += perRequest) {
        const count = Math.min(perRequest, images - first);
        const values = batch.values.slice(first * perImage, (first + count) * perImage);
        await model.run(CNN_SIGNATURE.key, { [CNN_SIGNATURE.input]: { dtype: 'float32', shape: [count, ...CNN_ARCHITECTURE.inputShape], values } });
      }
    };
    await runBatches();
    return timed(runBatches);
  };
  const results = [];
  for (const [name, transform] of transforms) results.push({ name, ...transform, engineSeconds: await engineSeconds(transform.requests) });
  model.dispose();
  return results;
}

async function main(): Promise<void> {
  const sizeMb = option('size-mb', 1024);
  const records = option('records', 20_000);
  const images = option('images', 2048);
  const concurrency = option('concurrency', 4);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-bench-transform-'));
  try {
    const split = await benchSplit(dir, sizeMb);
    const runner = await benchRunner(dir, records, concurrency);
    const cnn = await benchCnn(dir, images, concurrency);
    const rows = [
      ['split + CRC vs raw read', `${split.splitMibS.toFixed(0)} MiB/s`, `${split.rawMibS.toFixed(0)} MiB/s`, (split.splitMibS / split.rawMibS).toFixed(2)],
      [`runner vs autocannon (c=${concurrency})`, `${runner.runnerRps.toFixed(0)} records/s`, `${runner.directRps.toFixed(0)} req/s`, (runner.runnerRps / runner.directRps).toFixed(2)],
      ...cnn.map((run) => [
        `CNN transform, ${run.name}, vs engine (${images} images, ${run.requests} requests)`,
        `${run.seconds.toFixed(2)} s`,
        `${run.engineSeconds.toFixed(2)} s`,
        (run.engineSeconds / run.seconds).toFixed(2),
      ]),
    ];
    process.stdout.write(`bench/transform: ${(split.bytes / MiB).toFixed(0)} MiB TFRecord, ${records} records, node ${process.version}, ${os.cpus().length} CPUs, ${pinning}\n`);
    process.stdout.write(`${['measure', 'measured', 'limit', 'ratio'].join(' | ')}\n`);
    for (const row of rows) process.stdout.write(`${row.join(' | ')}\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/transform: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
