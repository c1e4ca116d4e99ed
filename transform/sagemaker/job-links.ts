/**
 * Where a user looks next: the job's console page and its container logs. Batch Transform writes container
 * stdout/stderr to the log group `/aws/sagemaker/TransformJobs`; its streams are named `<job-name>/<instance-id>-<epoch>`
 * (plus `<job-name>/data-log`) in practice, though the guide does not spell that out, so the prefix `<job-name>/`
 * selects this job's streams and no other's (`<job-name>` alone would also match `<job-name>-2/…`).
 */

export const TRANSFORM_LOG_GROUP = '/aws/sagemaker/TransformJobs';

function consoleHost(region: string): string {
  return region.startsWith('cn-') ? `console.amazonaws.cn` : `${region}.console.aws.amazon.com`;
}

export function transformJobConsoleUrl(region: string, jobName: string): string {
  return `https://${consoleHost(region)}/sagemaker/home?region=${region}#/transform-jobs/${jobName}`;
}

/**
 * The CloudWatch console's fragment uses `$` for `%`, and values inside it are percent-encoded once more, so `/` in a
 * log group name becomes `$252F` and the `?`/`=` of its query become `$3F`/`$3D`: the form of the console's own links.
 */
function cloudWatchValue(value: string): string {
  return encodeURIComponent(value).replace(/%/g, '$25');
}

export function transformLogsConsoleUrl(region: string, jobName: string): string {
  const group = cloudWatchValue(TRANSFORM_LOG_GROUP);
  const filter = `$3FlogStreamNameFilter$3D${cloudWatchValue(`${jobName}/`)}`;
  return `https://${consoleHost(region)}/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${group}/log-events${filter}`;
}

/** The lines printed after a failure: where the container's own error messages are. */
export function logHintLines(region: string, jobName: string): string[] {
  return [
    `container logs: log group ${TRANSFORM_LOG_GROUP}, streams ${jobName}/*`,
    `  aws logs tail ${TRANSFORM_LOG_GROUP} --log-stream-name-prefix ${jobName}/ --region ${region}`,
    `  ${transformLogsConsoleUrl(region, jobName)}`,
  ];
}
