import { createMetrics, requestLabels } from '../../../container/server/metrics';

describe('requestLabels', () => {
  const models = new Set(['half_plus_three', 'other']);
  const labels = (path: string, attributes?: string) => requestLabels(path, attributes, models, 'half_plus_three');

  it('labels /invocations with the model the custom attributes name, else the default model', () => {
    expect(labels('/invocations')).toEqual({ route: '/invocations', model: 'half_plus_three' });
    expect(labels('/invocations', 'tfs-model-name=other,tfs-model-version=1')).toEqual({ route: '/invocations', model: 'other' });
  });

  it('labels TF Serving routes with the model in the path', () => {
    expect(labels('/v1/models/other/versions/2:predict')).toEqual({ route: '/v1/models', model: 'other' });
    expect(labels('/v1/models/half_plus_three/metadata')).toEqual({ route: '/v1/models', model: 'half_plus_three' });
  });

  it('keeps label values to fixed sets: unknown models and routes share one value', () => {
    expect(labels('/invocations', 'tfs-model-name=made-up-1')).toEqual({ route: '/invocations', model: 'unknown' });
    expect(labels('/v1/models/made-up-2:predict')).toEqual({ route: '/v1/models', model: 'unknown' });
    expect(labels('/invocations', 'tfs-model-name=other,tfs-model-version=abc')).toEqual({ route: '/invocations', model: 'unknown' });
    expect(labels('/admin/secret')).toEqual({ route: 'other', model: '' });
    expect(labels('/ping')).toEqual({ route: '/ping', model: '' });
    expect(labels('/metrics')).toEqual({ route: '/metrics', model: '' });
  });
});

describe('createMetrics', () => {
  it('exposes requests, errors, latency, version states and worker use in Prometheus text', async () => {
    const metrics = createMetrics({
      versions: () => [
        { name: 'm', version: '1', dir: '/m/1', state: 'available' },
        { name: 'm', version: '2', dir: '/m/2', state: 'failed', reason: 'corrupt' },
      ],
      pool: () => ({ workers: 3, busy: 1, queued: 4 }),
    });
    metrics.observe({ route: '/invocations', model: 'm' }, 200, 0.003);
    metrics.observe({ route: '/invocations', model: 'm' }, 503, 0.0001);
    const text = await metrics.registry.metrics();
    for (const line of [
      'tfserve_http_requests_total{route="/invocations",model="m",status="200"} 1',
      'tfserve_http_requests_total{route="/invocations",model="m",status="503"} 1',
      'tfserve_http_request_errors_total{route="/invocations",model="m",status="503"} 1',
      'tfserve_http_request_duration_seconds_bucket{le="0.0005",route="/invocations",model="m"} 1',
      'tfserve_http_request_duration_seconds_bucket{le="0.005",route="/invocations",model="m"} 2',
      'tfserve_http_request_duration_seconds_count{route="/invocations",model="m"} 2',
      'tfserve_model_versions{state="loading"} 0',
      'tfserve_model_versions{state="available"} 1',
      'tfserve_model_versions{state="failed"} 1',
      'tfserve_inference_workers{state="busy"} 1',
      'tfserve_inference_workers{state="idle"} 2',
      'tfserve_inference_queue_length 4',
    ]) {
      expect(text.split('\n')).toContain(line);
    }
    expect(text).not.toContain('tfserve_http_request_errors_total{route="/invocations",model="m",status="200"}');
  });
});
