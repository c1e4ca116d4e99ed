export * from './container-environment';
export * from './model-archive';
export * from './secure-bucket';
export * from './serving-image';
export * from './tfserve-endpoint';
export * from './tfserve-model';
export * from './transform-pipeline';
export * from './transform-pipeline-props';
