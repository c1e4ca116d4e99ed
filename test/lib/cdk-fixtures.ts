import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { parseAppConfig, type AppConfigInput } from '../../lib/app/app-config';
import { composeApp, type ComposedApp } from '../../lib/app/compose-app';
import { prepareArchive } from '../../lib/app/prepare-archive';

/** The repository root: the Docker build context and the base of cdk.json's relative paths. */
export const REPO_ROOT = path.resolve(__dirname, '../..');

/** Tests pin the environment so that templates hold literal ARNs and nothing looks for credentials. */
export const TEST_ENV = { account: '123456789012', region: 'us-east-1' } as const;

/** An image "already in ECR", for tests that are not about the image asset (no build context to stage). */
export const ECR_IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/tfserve:1.0';
export const ECR_REPOSITORY_ARN = 'arn:aws:ecr:us-east-1:123456789012:repository/tfserve';

/** cdk.json's feature flags, so that tests synthesize what `cdk synth` does. */
function featureFlags(): Record<string, unknown> {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return Object.fromEntries(Object.entries(cdkJson.context).filter(([key]) => key.startsWith('@aws-cdk/')));
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `tfserve-cdk-test-${prefix}-`));
}

/** The demo models packed into `<workDir>/model.tar.gz`, as bin/app.ts does. */
export async function packDemoModel(workDir: string): Promise<string> {
  const prepared = await prepareArchive({ sourceDir: 'demo/models' }, REPO_ROOT, workDir);
  return prepared.props.archiveFile as string;
}

export function testApp(outdir?: string): App {
  return new App({ outdir, context: featureFlags() });
}

export function testStack(id = 'Test'): Stack {
  return new Stack(testApp(), id, { env: TEST_ENV });
}

/** The whole app as bin/app.ts builds it (cdk-nag included), synthesized into `<workDir>/cdk.out`. */
export async function composeTestApp(workDir: string, config: AppConfigInput = {}): Promise<{ app: App } & ComposedApp> {
  const parsed = parseAppConfig({ env: TEST_ENV, ...config });
  const archive = await prepareArchive(parsed.model, REPO_ROOT, workDir);
  const app = testApp(path.join(workDir, 'cdk.out'));
  return { app, ...composeApp(app, parsed, { baseDir: REPO_ROOT, archive: archive.props }) };
}

/** The message of what `build` throws, so that one construction can be matched against several expectations. */
export function captureError(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('expected an error, but construction succeeded');
}
