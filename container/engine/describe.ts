import type { LoadedModel, TensorSpec } from './engine';
import { lossyDtypeNotes } from './tfjs-tensors';

/**
 * A loaded model's MetaGraph tags and signatures in the layout of `saved_model_cli show --all`, plus the engine
 * that loaded it.
 */
export function describeModel(model: Pick<LoadedModel, 'engine' | 'tags' | 'signatures'>): string {
  const lines = [
    `Engine: ${model.engine}`,
    '',
    `MetaGraphDef with tag-set: '${model.tags.join(', ')}' contains the following SignatureDefs:`,
  ];
  for (const key of Object.keys(model.signatures).sort()) {
    const signature = model.signatures[key];
    lines.push('', `signature_def['${key}']:`);
    lines.push('  The given SavedModel SignatureDef contains the following input(s):');
    lines.push(...tensorLines('inputs', signature.inputs));
    lines.push('  The given SavedModel SignatureDef contains the following output(s):');
    lines.push(...tensorLines('outputs', signature.outputs));
    lines.push(`  Method name is: ${signature.methodName}`);
    // tfjs computes some dtypes in a narrower one; say so rather than let values change silently.
    lines.push(...lossyDtypeNotes(signature).map((note) => `  Note: ${note}`));
  }
  return `${lines.join('\n')}\n`;
}

function tensorLines(kind: 'inputs' | 'outputs', specs: Record<string, TensorSpec>): string[] {
  return Object.keys(specs)
    .sort()
    .flatMap((key) => [
      `    ${kind}['${key}'] tensor_info:`,
      `        dtype: ${specs[key].tfDtype}`,
      `        shape: ${shapeText(specs[key].shape)}`,
      `        name: ${specs[key].name}`,
    ]);
}

/** saved_model_cli's notation: `(-1, 1)`, `()` for a scalar, `unknown_rank`. */
export function shapeText(shape: number[] | undefined): string {
  return shape === undefined ? 'unknown_rank' : `(${shape.join(', ')})`;
}
