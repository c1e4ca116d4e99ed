import { JSON_LINES_RESPONSE, JSON_RESPONSE, type ResponseType } from './accept';
import { parseMediaType } from './media-type';
import { RECORD_TYPES } from './record-request';

export type { RecordTarget } from './record-request';

/**
 * The response type when the Accept header leaves the choice to tfserve (absent, `*\/*`): JSON Lines for record
 * bodies, whose records Batch Transform reassembles line by line (AssembleWith=Line), else JSON. Each line is one
 * example's item of the TF Serving response: its `predictions` entry (a value, or an object keyed by output name
 * when the signature has several outputs) or its `results` entry (classify: `[[label, score], …]`; regress: a
 * number), in record order, without a trailing newline.
 */
export function preferredResponseType(requestContentType: string | undefined): ResponseType {
  const essence = requestContentType === undefined ? undefined : parseMediaType(requestContentType)?.essence;
  return essence !== undefined && RECORD_TYPES.includes(essence) ? JSON_LINES_RESPONSE : JSON_RESPONSE;
}
