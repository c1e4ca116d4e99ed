/** The content types of `/invocations`: request bodies in, response bodies out. */
export { decodeRequest } from './request';
export { negotiateResponseType, JSON_RESPONSE, JSON_LINES_RESPONSE, type ResponseFormat, type ResponseType } from './accept';
export { encodeResponse, type EncodedResponse } from './response';
export { parseMediaType, JSON_LINES_TYPES, type MediaType } from './media-type';
export { preferredResponseType, type RecordTarget } from './record-response';
