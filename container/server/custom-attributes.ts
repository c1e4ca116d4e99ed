/**
 * The `tfs-*` settings in SageMaker's `X-Amzn-SageMaker-Custom-Attributes` header (serving contract B5.2): pattern
 * `tfs-[a-z-]+=[^,]+`, each kept only when it splits on `=` into exactly two parts, later duplicates winning,
 * other attributes ignored. Unlike the peer, values are trimmed (`tfs-model-name=m1 ,…` selects `m1`).
 */

export interface TfsAttributes {
  modelName?: string;
  modelVersion?: string;
  method?: string;
}

const ATTRIBUTE = /tfs-[a-z-]+=[^,]+/g;

const fields: Record<string, keyof TfsAttributes> = {
  'tfs-model-name': 'modelName',
  'tfs-model-version': 'modelVersion',
  'tfs-method': 'method',
};

export function parseCustomAttributes(header: string | undefined): TfsAttributes {
  const attributes: TfsAttributes = {};
  for (const match of header?.matchAll(ATTRIBUTE) ?? []) {
    const parts = match[0].split('=');
    if (parts.length !== 2) continue;
    const field = fields[parts[0]];
    const value = parts[1].trim();
    if (field && value) attributes[field] = value;
  }
  return attributes;
}
