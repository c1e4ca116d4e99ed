import * as fs from 'node:fs';
import * as path from 'node:path';
import { IGNORED_KEYS, parseAgentConfig, readAgentConfig } from '../../../container/agent/agent-config';
import { tempDir } from './agent-client';

describe('agent config', () => {
  it('has the documented defaults', () => {
    expect(parseAgentConfig({}, 'c.json').config).toMatchObject({
      sagemaker_edge_core_capture_data_destination: 'Disk',
      sagemaker_edge_core_capture_data_buffer_size: 30,
      sagemaker_edge_core_capture_data_batch_size: 10,
      sagemaker_edge_core_capture_data_push_period_seconds: 4,
      sagemaker_edge_core_capture_data_base64_embed_limit: 3072,
      sagemaker_edge_core_folder_prefix: '',
      sagemaker_edge_log_verbose: false,
      tfserve_max_message_mb: 100,
    });
  });

  it('reads an original agent config unchanged, sorting keys into honoured, ignored and unknown', () => {
    const original = {
      sagemaker_edge_core_device_name: 'device1',
      sagemaker_edge_core_device_fleet_name: 'fleet',
      sagemaker_edge_core_region: 'us-west-2',
      sagemaker_edge_core_root_certs_path: '/agent/certs',
      sagemaker_edge_provider_provider: 'Aws',
      sagemaker_edge_provider_s3_bucket_name: 'sagemaker-bucket',
      sagemaker_edge_core_capture_data_destination: 'Cloud',
      sagemaker_edge_core_capture_data_buffer_size: '30',
      sagemaker_edge_core_capture_data_batch_size: 10,
      sagemaker_edge_log_verbose: 'true',
      sagemaker_edge_core_capture_data_periodic_upload: 'false',
      sagemaker_edge_telemetry_libsystemd_path: '/lib/libsystemd.so',
      sagemaker_edge_core_typo: 1,
    };
    const { config, ignored, unknown } = parseAgentConfig(original, 'c.json');
    expect(config).toMatchObject({ sagemaker_edge_core_capture_data_buffer_size: 30, sagemaker_edge_log_verbose: true });
    expect(ignored.sort()).toEqual([
      'sagemaker_edge_core_capture_data_periodic_upload',
      'sagemaker_edge_core_root_certs_path',
      'sagemaker_edge_provider_provider',
      'sagemaker_edge_telemetry_libsystemd_path',
    ]);
    expect(unknown).toEqual(['sagemaker_edge_core_typo']);
    expect(IGNORED_KEYS).toContain('sagemaker_edge_provider_aws_iot_cred_endpoint');
  });

  it.each([
    [{ sagemaker_edge_core_capture_data_batch_size: 30 }, 'sagemaker_edge_core_capture_data_batch_size=30: must be smaller than sagemaker_edge_core_capture_data_buffer_size'],
    [{ sagemaker_edge_core_capture_data_destination: 'Cloud' }, 'sagemaker_edge_provider_s3_bucket_name=undefined: must be set when sagemaker_edge_core_capture_data_destination is Cloud'],
    [{ sagemaker_edge_core_capture_data_base64_embed_limit: 4096 }, 'sagemaker_edge_core_capture_data_base64_embed_limit=4096: must be at most 3072 (3 KB)'],
    [{ sagemaker_edge_core_capture_data_buffer_size: 'many' }, 'sagemaker_edge_core_capture_data_buffer_size="many"'],
    [{ sagemaker_edge_core_capture_data_destination: 'Tape' }, 'sagemaker_edge_core_capture_data_destination="Tape"'],
  ])('refuses %j naming the key and the file', (values, message) => {
    expect(() => parseAgentConfig(values, 'c.json')).toThrow(`c.json: ${message}`);
  });

  it('names the file that is missing or not JSON', async () => {
    const dir = tempDir('tfserve-agent-config-');
    await expect(readAgentConfig(path.join(dir, 'none.json'))).rejects.toThrow(`cannot read the config file ${path.join(dir, 'none.json')}: ENOENT`);
    fs.writeFileSync(path.join(dir, 'bad.json'), '{');
    await expect(readAgentConfig(path.join(dir, 'bad.json'))).rejects.toThrow(`${path.join(dir, 'bad.json')} is not JSON`);
    fs.rmSync(dir, { recursive: true });
  });
});
