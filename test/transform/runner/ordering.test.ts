import type { AtomicWriter } from '../../../transform/store/object-store';
import { OrderedOutput } from '../../../transform/runner/ordered-output';
import { Slots } from '../../../transform/runner/slots';

describe('OrderedOutput', () => {
  it('writes chunks in index order whatever order they finish in, each once its predecessors are written', async () => {
    const written: string[] = [];
    const writer: AtomicWriter = { write: async (chunk) => void written.push(Buffer.from(chunk).toString()), commit: async () => undefined, abort: async () => undefined };
    const order: number[] = [];
    const output = new OrderedOutput(writer, (index) => order.push(index));
    await output.put(2, Buffer.from('c'));
    await output.put(1, Buffer.from('b'));
    expect(written).toEqual([]);
    await output.put(0, Buffer.from('a'));
    await output.put(3, Buffer.from(''));
    await output.flushed();
    expect(written).toEqual(['a', 'b', 'c']);
    expect(order).toEqual([0, 1, 2, 3]);
    expect(output.bytesWritten).toBe(3);
  });
});

describe('Slots', () => {
  it('lets at most `size` holders in, first come first served', async () => {
    const slots = new Slots(2);
    const first = await slots.acquire();
    await slots.acquire();
    const entered: string[] = [];
    const third = slots.acquire().then((release) => (entered.push('third'), release));
    const fourth = slots.acquire().then((release) => (entered.push('fourth'), release));
    await Promise.resolve();
    expect(entered).toEqual([]);
    first();
    first(); // a second release of the same slot frees nothing more
    await third;
    await new Promise((resolve) => setImmediate(resolve));
    expect(entered).toEqual(['third']);
    (await third)();
    await fourth;
    expect(entered).toEqual(['third', 'fourth']);
  });
});
