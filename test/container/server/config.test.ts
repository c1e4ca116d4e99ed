import * as os from 'node:os';
import { ConfigError, engineEnv, readServerConfig } from '../../../container/server/config';

describe('readServerConfig', () => {
  it('has defaults for every variable', () => {
    expect(readServerConfig({})).toEqual({
      SAGEMAKER_BIND_TO_PORT: 8080,
      TFSERVE_ENGINE: 'auto',
      TFSERVE_BACKEND: 'wasm',
      TFSERVE_LOG_LEVEL: 'info',
      SAGEMAKER_TFS_DEFAULT_MODEL_NAME: undefined,
      TFSERVE_MAX_BODY_MB: 100,
      TFSERVE_WORKERS: os.availableParallelism(),
      TFSERVE_INFERENCE_TIMEOUT_SECONDS: 60,
      TFSERVE_MODEL_LOAD_TIMEOUT_SECONDS: 300,
      SAGEMAKER_BATCH: false,
      SAGEMAKER_MULTI_MODEL: false,
      TFSERVE_MME_MEMORY_BUDGET_MB: Math.floor(os.totalmem() / 1024 / 1024 / 2),
      TFSERVE_MODEL_MANAGEMENT: false,
    });
  });

  it('reads the values it is given; "None" means no default model, as in the peer', () => {
    const config = readServerConfig({
      SAGEMAKER_BIND_TO_PORT: '9001',
      TFSERVE_ENGINE: 'pure',
      TFSERVE_BACKEND: 'cpu',
      TFSERVE_LOG_LEVEL: 'debug',
      TFSERVE_MAX_BODY_MB: '6',
      TFSERVE_WORKERS: '3',
      TFSERVE_INFERENCE_TIMEOUT_SECONDS: '0.5',
      TFSERVE_MODEL_LOAD_TIMEOUT_SECONDS: '20',
    });
    expect(config).toMatchObject({
      SAGEMAKER_BIND_TO_PORT: 9001,
      TFSERVE_ENGINE: 'pure',
      TFSERVE_BACKEND: 'cpu',
      TFSERVE_LOG_LEVEL: 'debug',
      TFSERVE_MAX_BODY_MB: 6,
      TFSERVE_WORKERS: 3,
      TFSERVE_INFERENCE_TIMEOUT_SECONDS: 0.5,
      TFSERVE_MODEL_LOAD_TIMEOUT_SECONDS: 20,
    });
    expect(readServerConfig({ SAGEMAKER_TFS_DEFAULT_MODEL_NAME: 'None' }).SAGEMAKER_TFS_DEFAULT_MODEL_NAME).toBeUndefined();
    expect(readServerConfig({ SAGEMAKER_TFS_DEFAULT_MODEL_NAME: 'm1' }).SAGEMAKER_TFS_DEFAULT_MODEL_NAME).toBe('m1');
  });

  it('treats an empty variable as unset', () => {
    expect(readServerConfig({ TFSERVE_WORKERS: '', SAGEMAKER_BIND_TO_PORT: '' })).toMatchObject({
      TFSERVE_WORKERS: os.availableParallelism(),
      SAGEMAKER_BIND_TO_PORT: 8080,
    });
  });

  it('raises the inference timeout to an hour under batch transform, unless it is set', () => {
    expect(readServerConfig({ SAGEMAKER_BATCH: 'true' })).toMatchObject({ SAGEMAKER_BATCH: true, TFSERVE_INFERENCE_TIMEOUT_SECONDS: 3600 });
    expect(readServerConfig({ SAGEMAKER_BATCH: 'True', TFSERVE_INFERENCE_TIMEOUT_SECONDS: '90' }).TFSERVE_INFERENCE_TIMEOUT_SECONDS).toBe(90);
  });

  it('falls back on the peer container’s variables where they mean the same thing', () => {
    const peer = readServerConfig({
      SAGEMAKER_TFS_INSTANCE_COUNT: '2',
      SAGEMAKER_TFS_WAIT_TIME_SECONDS: '55',
      SAGEMAKER_NGINX_PROXY_READ_TIMEOUT_SECONDS: '120',
      SAGEMAKER_GUNICORN_LOGLEVEL: 'WARNING',
    });
    expect(peer).toMatchObject({
      TFSERVE_WORKERS: 2,
      TFSERVE_MODEL_LOAD_TIMEOUT_SECONDS: 55,
      TFSERVE_INFERENCE_TIMEOUT_SECONDS: 120,
      TFSERVE_LOG_LEVEL: 'warn',
    });
    const own = readServerConfig({ SAGEMAKER_TFS_INSTANCE_COUNT: '2', TFSERVE_WORKERS: '4', SAGEMAKER_GUNICORN_LOGLEVEL: 'debug', TFSERVE_LOG_LEVEL: 'error' });
    expect(own).toMatchObject({ TFSERVE_WORKERS: 4, TFSERVE_LOG_LEVEL: 'error' });
  });

  it('names each bad variable and its value', () => {
    expect(() => readServerConfig({ SAGEMAKER_BIND_TO_PORT: 'abc' })).toThrow(
      new ConfigError('invalid environment: SAGEMAKER_BIND_TO_PORT="abc": must be a port number from 1 to 65535'),
    );
    expect(() => readServerConfig({ SAGEMAKER_BIND_TO_PORT: '70000', TFSERVE_ENGINE: 'gpu' })).toThrow(
      'invalid environment: SAGEMAKER_BIND_TO_PORT="70000": must be a port number from 1 to 65535; TFSERVE_ENGINE="gpu": Invalid option: expected one of "auto"|"native"|"pure"',
    );
  });

  it.each([
    ['TFSERVE_WORKERS', '0', 'must be a whole number of at least 1'],
    ['TFSERVE_WORKERS', '1.5', 'must be a whole number of at least 1'],
    ['SAGEMAKER_TFS_INSTANCE_COUNT', 'two', 'must be a whole number of at least 1'],
    ['TFSERVE_MAX_BODY_MB', '2000', 'must be a whole number of MB from 1 to 1024'],
    ['TFSERVE_INFERENCE_TIMEOUT_SECONDS', '-1', 'must be a number of seconds above 0'],
    ['TFSERVE_MODEL_LOAD_TIMEOUT_SECONDS', 'soon', 'must be a number of seconds above 0'],
    ['TFSERVE_BACKEND', 'gpu', 'Invalid option: expected one of "wasm"|"cpu"'],
    ['TFSERVE_LOG_LEVEL', 'loud', 'Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"|"silent"'],
    ['SAGEMAKER_GUNICORN_LOGLEVEL', 'loud', 'Invalid option: expected one of "debug"|"info"|"warning"|"error"|"critical"'],
  ])('refuses %s=%s', (variable, value, message) => {
    expect(() => readServerConfig({ [variable]: value })).toThrow(`invalid environment: ${variable}="${value}": ${message}`);
  });
});

describe('engineEnv', () => {
  it('gives the workers the caller’s environment with the validated engine settings', () => {
    const env = { PATH: '/bin', TFSERVE_BACKEND: 'cpu' };
    expect(engineEnv(env, readServerConfig(env))).toEqual({ PATH: '/bin', TFSERVE_BACKEND: 'cpu', TFSERVE_ENGINE: 'auto' });
  });
});
