import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PureEngine } from '../../../container/engine/pure-engine';
import { FormatError, NotFoundError, UnsupportedModelError } from '../../../container/errors';
import { decodeMessage, encodeMessage, protos } from '../../../container/formats/proto';
import { writeLinearModel } from '../../../container/engine/writer/linear-model';

const engine = new PureEngine();

/** The generated half_plus_three model (TF1 layout, same node names as TensorFlow's), to be damaged by a test. */
describe('pure engine: a broken model fails at load with an error naming what is wrong', () => {
  const dirs: string[] = [];
  const broken = (_model: 'half_plus_three') => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-broken-'));
    writeLinearModel(dir);
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  test('no saved_model.pb', async () => {
    const dir = broken('half_plus_three');
    fs.rmSync(path.join(dir, 'saved_model.pb'));
    await expect(engine.load(dir)).rejects.toThrow(new NotFoundError(`${dir}/saved_model.pb: no SavedModel here (saved_model.pb is missing)`));
  });

  test('saved_model.pb that is not a protobuf', async () => {
    const dir = broken('half_plus_three');
    fs.writeFileSync(path.join(dir, 'saved_model.pb'), Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 1, 2]));
    await expect(engine.load(dir)).rejects.toThrow(FormatError);
    await expect(engine.load(dir)).rejects.toThrow(`${dir}/saved_model.pb: not a valid SavedModel protobuf`);
  });

  test('a missing variables data file', async () => {
    const dir = broken('half_plus_three');
    const data = path.join(dir, 'variables', 'variables.data-00000-of-00001');
    fs.rmSync(data);
    await expect(engine.load(dir)).rejects.toThrow(data);
  });

  test('a bad CRC in the variables index names the file, the offset and the check', async () => {
    const dir = broken('half_plus_three');
    const index = path.join(dir, 'variables', 'variables.index');
    const bytes = fs.readFileSync(index);
    bytes[2] ^= 0xff; // inside the first data block, which starts at offset 0
    fs.writeFileSync(index, bytes);
    const failure = engine.load(dir);
    await expect(failure).rejects.toThrow(FormatError);
    await expect(engine.load(dir)).rejects.toThrow(`${index}: bad CRC in block at byte offset 0`);
  });

  test('a flipped byte in a variable value fails its checksum, naming the variable', async () => {
    const dir = broken('half_plus_three');
    const data = path.join(dir, 'variables', 'variables.data-00000-of-00001');
    const bytes = fs.readFileSync(data);
    bytes[0] ^= 0x01;
    fs.writeFileSync(data, bytes);
    await expect(engine.load(dir)).rejects.toThrow(`${data}: tensor "a" at byte offset 0: bad CRC`);
  });

  /** Rewrites node `name` of the model's graph in place. */
  function rewriteNode(dir: string, name: string, change: (node: { op: string; attr?: Record<string, unknown> }) => void) {
    const file = path.join(dir, 'saved_model.pb');
    const model = decodeMessage<{ metaGraphs: Array<{ graphDef: { node: Array<{ name: string; op: string }> } }> }>(
      protos.SavedModel,
      fs.readFileSync(file),
      file,
    );
    change(model.metaGraphs[0].graphDef.node.find((n) => n.name === name)!);
    fs.writeFileSync(file, encodeMessage(protos.SavedModel, model));
  }

  test('an op the engine lacks names the op and the node', async () => {
    const dir = broken('half_plus_three');
    rewriteNode(dir, 'Mul', (node) => (node.op = 'FancyMul'));
    await expect(engine.load(dir)).rejects.toThrow(UnsupportedModelError);
    await expect(engine.load(dir)).rejects.toThrow(`op 'FancyMul' (node 'Mul') is not supported by the pure engine`);
  });

  test('TF2 control flow calling library functions is refused at load, not at the first request', async () => {
    const dir = broken('half_plus_three');
    rewriteNode(dir, 'Mul', (node) => {
      node.op = 'StatelessIf';
      node.attr = { ...node.attr, then_branch: { func: { name: 'then_fn' } } };
    });
    await expect(engine.load(dir)).rejects.toThrow(
      "op 'StatelessIf' (node 'Mul') calls library functions (TF2 control flow); the pure engine cannot run those yet",
    );
  });

  test('lookup tables are refused at load, naming the op', async () => {
    const dir = broken('half_plus_three');
    rewriteNode(dir, 'Mul', (node) => (node.op = 'LookupTableFindV2'));
    await expect(engine.load(dir)).rejects.toThrow("op 'LookupTableFindV2' (node 'Mul') is a lookup table");
  });

  test('tags that match no MetaGraph', async () => {
    await expect(engine.load(broken('half_plus_three'), { tags: ['serve', 'gpu'] })).rejects.toThrow(
      'no MetaGraph tagged [serve, gpu]; available: [serve]',
    );
  });
});
