import * as fs from 'node:fs';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ServingImage } from '../../../lib/constructs/serving-image';
import { captureError, ECR_IMAGE, REPO_ROOT, tempDir, testApp, TEST_ENV } from '../cdk-fixtures';

describe('ServingImage', () => {
  test('built from the repository Dockerfile for linux/amd64 (asset manifest), synthesized without Docker', () => {
    // GIVEN
    const outdir = tempDir('image');
    try {
      const app = testApp(outdir);
      const stack = new Stack(app, 'Image', { env: TEST_ENV });
      // WHEN
      const image = new ServingImage(stack, 'Image', { directory: REPO_ROOT });
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
      image.grantPull(role);
      const assembly = app.synth();
      // THEN
      const manifest = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'Image.assets.json'), 'utf8')) as {
        dockerImages: Record<string, { source: Record<string, unknown> }>;
      };
      const [hash] = Object.keys(manifest.dockerImages);
      expect(hash).toBe(image.asset!.assetHash);
      expect(manifest.dockerImages[hash].source).toEqual({
        directory: `asset.${hash}`,
        platform: 'linux/amd64',
        dockerOutputs: ['type=docker'],
      });
      expect(JSON.stringify(stack.resolve(image.imageUri))).toContain(hash);
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: Match.objectLike({
          Statement: [
            Match.objectLike({ Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'] }),
            { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
          ],
        }),
      });
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('an existing ECR image: no asset, pull scoped to its repository (China partition too)', () => {
    const stack = new Stack(testApp(), 'Ecr', { env: TEST_ENV });
    const image = new ServingImage(stack, 'Image', { imageUri: ECR_IMAGE });
    expect(image.asset).toBeUndefined();
    expect(image.imageUri).toBe(ECR_IMAGE);
    expect(stack.resolve(image.repository.repositoryArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:us-east-1:123456789012:repository/tfserve']],
    });
    const china = new ServingImage(stack, 'China', {
      imageUri: `123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/team/tfserve@sha256:${'a'.repeat(64)}`,
    });
    expect(china.repository.repositoryArn).toBe('arn:aws-cn:ecr:cn-north-1:123456789012:repository/team/tfserve');
  });

  test('bad props: every problem is reported in one error', () => {
    const stack = new Stack(testApp(), 'Bad');
    expect(captureError(() => new ServingImage(stack, 'None', {}))).toMatch(/one of directory .* or imageUri .* is required/);
    const error = captureError(() => new ServingImage(stack, 'Both', { imageUri: 'docker.io/library/tfserve:1', directory: '.' }));
    expect(error).toMatch(/Bad\/Both: invalid props/);
    expect(error).toMatch(/imageUri and directory\/file\/buildArgs are mutually exclusive/);
    expect(error).toMatch(/imageUri must be an Amazon ECR image URI .* \(got "docker.io\/library\/tfserve:1"\)/);
  });
});
