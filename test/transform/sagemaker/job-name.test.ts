import {
  generateTransformJobName,
  SAGEMAKER_NAME_MAX_LENGTH,
  SAGEMAKER_NAME_PATTERN,
  sageMakerNameProblem,
} from '../../../transform/sagemaker/job-name';
import { fixedNaming } from './blog-job';

describe('generateTransformJobName', () => {
  it('is the base, a UTC timestamp and 4 hex characters', () => {
    expect(generateTransformJobName('image-classification-tfs', fixedNaming)).toBe('image-classification-tfs-20261122-093005-beef');
  });

  it('differs between two runs in the same second through the random hex', () => {
    const first = generateTransformJobName('m', { ...fixedNaming, randomHex: () => '0001' });
    const second = generateTransformJobName('m', { ...fixedNaming, randomHex: () => '0002' });
    expect(first).not.toBe(second);
  });

  it('cuts a long base so the whole name fits in 63 characters and keeps the unique tail', () => {
    const name = generateTransformJobName('a'.repeat(63), fixedNaming);
    expect(name).toHaveLength(SAGEMAKER_NAME_MAX_LENGTH);
    expect(name.endsWith('-20261122-093005-beef')).toBe(true);
    expect(name).toMatch(SAGEMAKER_NAME_PATTERN);
  });

  it('never leaves a hyphen at the cut or characters the API rejects', () => {
    const base = `${'a'.repeat(41)}-bbbb`; // the cut falls right after the hyphen
    const cut = generateTransformJobName(base, fixedNaming);
    expect(cut).toBe(`${'a'.repeat(41)}-20261122-093005-beef`);
    expect(generateTransformJobName('my_model.v2', fixedNaming)).toBe('my-model-v2-20261122-093005-beef');
    expect(generateTransformJobName('--', fixedNaming)).toBe('tfserve-20261122-093005-beef');
  });

  it('produces names that pass the API pattern for awkward bases', () => {
    for (const base of ['', 'x', 'UPPER_case', 'ünïcode', '-lead', 'trail-', 'a'.repeat(200)]) {
      const name = generateTransformJobName(base, fixedNaming);
      expect(sageMakerNameProblem(name)).toBeUndefined();
    }
  });
});

describe('sageMakerNameProblem', () => {
  it('accepts names of 1 to 63 letters, digits and inner hyphens', () => {
    expect(sageMakerNameProblem('a')).toBeUndefined();
    expect(sageMakerNameProblem('job--2')).toBeUndefined();
    expect(sageMakerNameProblem('a'.repeat(63))).toBeUndefined();
  });

  it('says what is wrong with the others', () => {
    expect(sageMakerNameProblem('')).toBe('must not be empty');
    expect(sageMakerNameProblem('a'.repeat(64))).toBe('is 64 characters long; SageMaker allows at most 63');
    for (const bad of ['-job', 'job-', 'my_job', 'job.1', 'job name']) {
      expect(sageMakerNameProblem(bad)).toMatch(/letters, digits and hyphens/);
    }
  });
});
