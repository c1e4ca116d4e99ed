import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodeExample } from '../../../container/formats/example';
import { frameTfRecord } from '../../../container/formats/tfrecord';
import { concatBytes } from '../../../transform/codecs/bytes';

/** A small TFRecord file of tf.Examples with one feature of each kind. */
export function exampleRecords(count: number): Uint8Array[] {
  return Array.from({ length: count }, (_, i) =>
    encodeExample({
      id: { kind: 'int64', values: [BigInt(i), 2n ** 60n] },
      score: { kind: 'float', values: [0.1, 1.5, -i] },
      name: { kind: 'bytes', values: [new TextEncoder().encode(`item ${i}`)] },
      blob: { kind: 'bytes', values: [Uint8Array.from({ length: 100 }, (_, j) => (i + j) % 256)] },
    }),
  );
}

export function writeTfRecordFile(file: string, payloads: Uint8Array[]): Uint8Array {
  const bytes = concatBytes(payloads.map(frameTfRecord));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  return bytes;
}
