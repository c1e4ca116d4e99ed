import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { parseCustomAttributes } from './custom-attributes';
import type { VersionState, VersionStatus } from './model-registry';
import type { PoolStats } from './workers/pool';

/**
 * Prometheus metrics for `GET /metrics`: requests, errors and latency by route and model, model version states,
 * inference worker use, and Node's process metrics. Label values come from fixed sets (the routes below, the
 * discovered model names, HTTP status codes), never from free request text, so the series count stays bounded.
 */

export const ROUTES = ['/ping', '/invocations', '/execution-parameters', '/metrics', '/v1/models', 'other'] as const;
export type RouteLabel = (typeof ROUTES)[number];

export interface RequestLabels {
  route: RouteLabel;
  /** A discovered model's name, `unknown` for a name that is none of them, '' where no model is concerned. */
  model: string;
}

export interface MetricsSources {
  versions: () => VersionStatus[];
  /** Undefined while the pool is starting, or when models run in this thread. */
  pool: () => PoolStats | undefined;
}

export interface ServerMetrics {
  readonly registry: Registry;
  observe(labels: RequestLabels, status: number, seconds: number): void;
}

/** Seconds; from /ping's microseconds to batch transform's hour. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600];
const VERSION_STATES: VersionState[] = ['loading', 'available', 'failed'];

export function createMetrics(sources: MetricsSources): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['route', 'model'] as const;
  const requests = new Counter({
    name: 'tfserve_http_requests_total',
    help: 'HTTP requests answered, by route, model and status code',
    labelNames: [...labelNames, 'status'],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'tfserve_http_request_errors_total',
    help: 'HTTP requests answered with a status of 400 or more, by route, model and status code',
    labelNames: [...labelNames, 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'tfserve_http_request_duration_seconds',
    help: 'Time from request to the end of the response, by route and model',
    labelNames,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  new Gauge({
    name: 'tfserve_model_versions',
    help: 'Model versions by state: loading, available, failed',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const versions = sources.versions();
      for (const state of VERSION_STATES) this.set({ state }, versions.filter((v) => v.state === state).length);
    },
  });
  new Gauge({
    name: 'tfserve_inference_workers',
    help: 'Inference worker threads by state: busy (running a call) or idle',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const stats = sources.pool() ?? { workers: 0, busy: 0 };
      this.set({ state: 'busy' }, stats.busy);
      this.set({ state: 'idle' }, stats.workers - stats.busy);
    },
  });
  new Gauge({
    name: 'tfserve_inference_queue_length',
    help: 'Inference calls waiting for an idle worker',
    registers: [registry],
    collect() {
      this.set(sources.pool()?.queued ?? 0);
    },
  });

  return {
    registry,
    observe({ route, model }, status, seconds) {
      const code = String(status);
      requests.inc({ route, model, status: code });
      if (status >= 400) errors.inc({ route, model, status: code });
      latency.observe({ route, model }, seconds);
    },
  };
}

const TFS_MODEL_PATH = /^\/v1\/models\/([^/:]+)/;

/** The labels of a request: its route, and for model routes the model it names (or the default one it gets). */
export function requestLabels(
  path: string,
  customAttributes: string | undefined,
  models: ReadonlySet<string>,
  defaultModelName: string,
): RequestLabels {
  const known = (name: string) => (models.has(name) ? name : 'unknown');
  if (path === '/invocations') return { route: path, model: known(attributedModel(customAttributes) ?? defaultModelName) };
  const tfsModel = TFS_MODEL_PATH.exec(path);
  if (tfsModel) return { route: '/v1/models', model: known(tfsModel[1]) };
  const route = (ROUTES as readonly string[]).includes(path) ? (path as RouteLabel) : 'other';
  return { route, model: '' };
}

/** The model the custom attributes name; 'unknown' for attributes the pipeline will refuse with a 400. */
function attributedModel(customAttributes: string | undefined): string | undefined {
  try {
    return parseCustomAttributes(customAttributes).modelName;
  } catch {
    return 'unknown';
  }
}
