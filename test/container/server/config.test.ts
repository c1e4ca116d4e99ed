import { ConfigError, readServerConfig } from '../../../container/server/config';

describe('readServerConfig', () => {
  it('has defaults for every variable', () => {
    expect(readServerConfig({})).toEqual({
      SAGEMAKER_BIND_TO_PORT: 8080,
      TFSERVE_ENGINE: 'auto',
      TFSERVE_LOG_LEVEL: 'info',
      SAGEMAKER_TFS_DEFAULT_MODEL_NAME: undefined,
    });
  });

  it('reads the values it is given; "None" means no default model, as in the peer', () => {
    const config = readServerConfig({ SAGEMAKER_BIND_TO_PORT: '9001', TFSERVE_ENGINE: 'pure', TFSERVE_LOG_LEVEL: 'debug' });
    expect(config).toMatchObject({ SAGEMAKER_BIND_TO_PORT: 9001, TFSERVE_ENGINE: 'pure', TFSERVE_LOG_LEVEL: 'debug' });
    expect(readServerConfig({ SAGEMAKER_TFS_DEFAULT_MODEL_NAME: 'None' }).SAGEMAKER_TFS_DEFAULT_MODEL_NAME).toBeUndefined();
    expect(readServerConfig({ SAGEMAKER_TFS_DEFAULT_MODEL_NAME: 'm1' }).SAGEMAKER_TFS_DEFAULT_MODEL_NAME).toBe('m1');
  });

  it('names each bad variable and its value', () => {
    expect(() => readServerConfig({ SAGEMAKER_BIND_TO_PORT: 'abc' })).toThrow(
      new ConfigError('invalid environment: SAGEMAKER_BIND_TO_PORT="abc": must be a port number from 1 to 65535'),
    );
    expect(() => readServerConfig({ SAGEMAKER_BIND_TO_PORT: '70000', TFSERVE_ENGINE: 'gpu' })).toThrow(
      'invalid environment: SAGEMAKER_BIND_TO_PORT="70000": must be a port number from 1 to 65535; TFSERVE_ENGINE="gpu": Invalid option: expected one of "auto"|"native"|"pure"',
    );
  });
});
