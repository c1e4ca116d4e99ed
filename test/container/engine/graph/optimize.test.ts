import type { SignatureGraph } from '../../../../container/engine/graph/signature-graph';
import { optimizeForTfjs } from '../../../../container/engine/graph/optimize';
import type { NodeDef } from '../../../../container/engine/graph/types';
import { f32 } from '../../../support/tensors';

const T = { T: { type: 'DT_FLOAT' } };
const text = (bytes: Uint8Array[] | undefined) => (bytes ?? []).map((b) => new TextDecoder().decode(b));

function graph(nodes: NodeDef[], fetches: string[]): SignatureGraph {
  return {
    nodes,
    weights: new Map([
      ['w', f32([1], [1, 1, 1, 1])],
      ['b', f32([1])],
    ]),
    feeds: [{ key: 'x', node: 'x', dtype: 'float32' }],
    fetches: fetches.map((tensor) => ({ key: tensor, tensor })),
  };
}

const convChain: NodeDef[] = [
  { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' } } },
  { name: 'w', op: 'Const' },
  { name: 'b', op: 'Const' },
  { name: 'w/read', op: 'Identity', input: ['w'], attr: T },
  { name: 'conv', op: 'Conv2D', input: ['x', 'w/read'], attr: { ...T, padding: { s: new TextEncoder().encode('SAME') } } },
  { name: 'bias', op: 'BiasAdd', input: ['conv', 'b'], attr: T },
  { name: 'relu', op: 'Relu', input: ['bias'], attr: T },
];

describe('optimizeForTfjs', () => {
  test('Conv2D → BiasAdd → Relu becomes one _FusedConv2D named after the chain’s end, reading the constant directly', () => {
    const { nodes } = optimizeForTfjs(graph(convChain, ['relu']));
    expect(nodes.map((n) => `${n.name}:${n.op}`)).toEqual(['x:Placeholder', 'w:Const', 'b:Const', 'relu:_FusedConv2D']);
    const fused = nodes.find((n) => n.name === 'relu')!;
    expect(fused.input).toEqual(['x', 'w', 'b']);
    expect(text(fused.attr?.fused_ops?.list?.s)).toEqual(['BiasAdd', 'Relu']);
    expect(fused.attr?.num_args).toEqual({ i: '1' });
    expect(text(fused.attr?.padding?.s ? [fused.attr.padding.s] : [])).toEqual(['SAME']);
  });

  test('an intermediate tensor that is a signature output is not fused away', () => {
    const { nodes } = optimizeForTfjs(graph(convChain, ['relu', 'conv']));
    expect(nodes.map((n) => n.op)).toEqual(['Placeholder', 'Const', 'Const', 'Conv2D', 'BiasAdd', 'Relu']);
  });

  test('a BiasAdd with two users fuses with the convolution but keeps the activation separate', () => {
    const chain = [...convChain, { name: 'other', op: 'Neg', input: ['bias'], attr: T }];
    const { nodes } = optimizeForTfjs(graph(chain, ['relu', 'other']));
    const fused = nodes.find((n) => n.op === '_FusedConv2D')!;
    expect(fused.name).toBe('bias');
    expect(text(fused.attr?.fused_ops?.list?.s)).toEqual(['BiasAdd']);
    expect(nodes.find((n) => n.name === 'relu')).toEqual({ name: 'relu', op: 'Relu', input: ['bias'], attr: T });
  });

  test('MatMul → BiasAdd fuses into _FusedMatMul; a fetched Identity of a constant stays', () => {
    const nodes: NodeDef[] = [
      { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' } } },
      { name: 'w', op: 'Const' },
      { name: 'b', op: 'Const' },
      { name: 'w/read', op: 'Identity', input: ['w'], attr: T },
      { name: 'mm', op: 'MatMul', input: ['x', 'w'], attr: T },
      { name: 'logits', op: 'BiasAdd', input: ['mm', 'b'], attr: T },
    ];
    const out = optimizeForTfjs(graph(nodes, ['logits', 'w/read']));
    expect(out.nodes.map((n) => `${n.name}:${n.op}`)).toEqual(['x:Placeholder', 'w:Const', 'b:Const', 'w/read:Identity', 'logits:_FusedMatMul']);
  });
});
