import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import { z } from 'zod';

/**
 * The agent's JSON config file (`-c`), with the original agent's keys (release docs/CONFIG.md). The keys that make
 * sense for a local model server are honoured; those about the discontinued cloud service (device registration, IoT
 * certificates, the provider library, telemetry) are accepted and ignored with one log line each, so an existing
 * file works unchanged; unknown keys are warned about. A bad value stops start-up naming the key and the file.
 * Keys prefixed `tfserve_` are tfserve's own additions.
 */

const MB = 1024 * 1024;

/** Numbers may be written as numbers or as digit strings, booleans as booleans or "true"/"false" (Go's agent read both). */
const count = (min: number) =>
  z.union([z.number(), z.string().regex(/^\d+$/, 'must be a whole number').transform(Number)]).pipe(z.number().int().min(min));
const seconds = z.union([z.number(), z.string().regex(/^\d+(\.\d+)?$/, 'must be a number').transform(Number)]).pipe(z.number().positive());
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);

export const HONOURED_KEYS = {
  sagemaker_edge_core_device_name: z.string().optional(),
  sagemaker_edge_core_device_fleet_name: z.string().optional(),
  sagemaker_edge_core_region: z.string().min(1).optional(),
  sagemaker_edge_provider_s3_bucket_name: z.string().min(1).optional(),
  sagemaker_edge_log_verbose: flag.default(false),
  sagemaker_edge_core_capture_data_destination: z.enum(['Disk', 'Cloud']).default('Disk'),
  sagemaker_edge_core_capture_data_disk_path: z.string().min(1).optional(),
  sagemaker_edge_core_folder_prefix: z.string().default(''),
  sagemaker_edge_core_capture_data_buffer_size: count(1).default(30),
  sagemaker_edge_core_capture_data_batch_size: count(1).default(10),
  sagemaker_edge_core_capture_data_push_period_seconds: seconds.default(4),
  sagemaker_edge_core_capture_data_base64_embed_limit: count(0).pipe(z.number().max(3072, 'must be at most 3072 (3 KB)')).default(3072),
  tfserve_memory_budget_mb: count(1).default(Math.floor(os.totalmem() / MB / 2)),
  tfserve_max_message_mb: count(1).pipe(z.number().max(2047, 'must be below 2048 (gRPC limit)')).default(100),
};

/** Accepted for compatibility, read by nothing: the cloud service they configured no longer exists. */
export const IGNORED_KEYS = [
  'sagemaker_edge_core_device_uuid',
  'sagemaker_edge_core_iot_thing_name',
  'sagemaker_edge_core_root_certs_path',
  'sagemaker_edge_provider_aws_ca_cert_file',
  'sagemaker_edge_provider_aws_cert_file',
  'sagemaker_edge_provider_aws_cert_pk_file',
  'sagemaker_edge_provider_aws_iot_cred_endpoint',
  'sagemaker_edge_provider_provider',
  'sagemaker_edge_provider_provider_path',
  'sagemaker_edge_core_capture_data_periodic_upload',
  'sagemaker_edge_core_capture_data_periodic_upload_period_seconds',
  'sagemaker_edge_telemetry_libsystemd_path',
] as const;

const schema = z
  .object(HONOURED_KEYS)
  .refine((c) => c.sagemaker_edge_core_capture_data_batch_size < c.sagemaker_edge_core_capture_data_buffer_size, {
    message: 'must be smaller than sagemaker_edge_core_capture_data_buffer_size',
    path: ['sagemaker_edge_core_capture_data_batch_size'],
  })
  .refine((c) => c.sagemaker_edge_core_capture_data_destination === 'Disk' || c.sagemaker_edge_provider_s3_bucket_name !== undefined, {
    message: 'must be set when sagemaker_edge_core_capture_data_destination is Cloud',
    path: ['sagemaker_edge_provider_s3_bucket_name'],
  });

export type AgentConfig = z.output<typeof schema>;

export interface ParsedAgentConfig {
  config: AgentConfig;
  /** Keys present in the file that tfserve does not use. */
  ignored: string[];
  /** Keys tfserve does not know (typos, newer agents). */
  unknown: string[];
}

export class AgentConfigError extends Error {
  override name = 'AgentConfigError';
}

/** `source` names the file in errors. */
export function parseAgentConfig(json: unknown, source: string): ParsedAgentConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new AgentConfigError(`${source}: the config must be a JSON object of "sagemaker_edge_..." keys`);
  }
  const values = json as Record<string, unknown>;
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = issue.path.join('.');
      return `${key}=${JSON.stringify(values[key])}: ${issue.message}`;
    });
    throw new AgentConfigError(`${source}: ${problems.join('; ')}`);
  }
  const keys = Object.keys(values);
  return {
    config: parsed.data,
    ignored: keys.filter((key) => (IGNORED_KEYS as readonly string[]).includes(key)),
    unknown: keys.filter((key) => !(key in HONOURED_KEYS) && !(IGNORED_KEYS as readonly string[]).includes(key)),
  };
}

/** Reads and checks the file; the defaults alone when no file is given. */
export async function readAgentConfig(file: string | undefined): Promise<ParsedAgentConfig> {
  if (file === undefined) return parseAgentConfig({}, 'default config');
  const text = await fs.readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new AgentConfigError(`cannot read the config file ${file}: ${error.code ?? error.message}`);
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AgentConfigError(`${file} is not JSON: ${(error as Error).message}`);
  }
  return parseAgentConfig(json, file);
}
