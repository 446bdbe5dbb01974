// The `error` catalogue of §4.9 as values, and the mapping from zod issues to OpenAI-style error bodies.
// Pure: builds error bodies only; the connection decides when to send them.
import type { z } from 'zod';

export type RealtimeErrorBody = {
  type: 'invalid_request_error' | 'server_error';
  code: string | null;
  message: string;
  param: string | null;
};

function invalidRequest(code: string, message: string, param: string | null = null): RealtimeErrorBody {
  return { type: 'invalid_request_error', code, message, param };
}

/** Error bodies the twin sends, with the evidence level of each message (openai-realtime.md, §4.9). */
export const realtimeErrors = {
  /** [F] lightseekorg/smg#1516. */
  betaShapeDisabled: () =>
    invalidRequest('beta_api_shape_disabled', 'The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API.'),
  /** [F] message text; [C] code. */
  activeResponse: (responseId: string) =>
    invalidRequest(
      'conversation_already_has_active_response',
      `Conversation already has an active response in progress: ${responseId}. Wait until the response is finished before creating a new one.`,
    ),
  /** [F]. */
  cancelNotActive: () => invalidRequest('response_cancel_not_active', 'Cancellation failed: no active response found'),
  /** [F] betalgo/openai#674. */
  commitEmpty: (bufferedMs: number) =>
    invalidRequest(
      'input_audio_buffer_commit_empty',
      `Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has ${bufferedMs.toFixed(2)}ms of audio.`,
    ),
  /** [F] the truncate-overshoot message. */
  audioShorterThan: (durationMs: number, audioEndMs: number) =>
    invalidRequest('invalid_value', `Audio content of ${durationMs}ms is already shorter than ${audioEndMs}ms`, 'audio_end_ms'),
  /** [F] message; the code differs between reports, so this is [I]. */
  itemNotFound: (itemId: string, code: string, param: string) => invalidRequest(code, `Item with item_id not found: ${itemId}`, param),
  /** [I] only assistant messages with audio can be truncated (§3). */
  notTruncatable: (itemId: string) =>
    invalidRequest('invalid_value', `Only assistant messages with audio content can be truncated; item ${itemId} cannot.`, 'item_id'),
  /** [I] exact code unverified (§4.9 notes); message as the Responses API words it [F]. */
  unknownCallId: (callId: string) =>
    invalidRequest('invalid_value', `No tool call found for function call output with call_id ${callId}.`, 'item.call_id'),
  /** [F] code and message, param null. */
  cannotUpdateVoice: () => invalidRequest('cannot_update_voice', "Cannot update a conversation's voice if assistant audio is present."),
  /** [F] the 60-minute text; the minutes follow the configured cap. */
  sessionExpired: (maxMinutes: number) =>
    invalidRequest('session_expired', `Your session hit the maximum duration of ${maxMinutes} minutes.`),
  /** [F] transient server error, no code. */
  serverError: (): RealtimeErrorBody => ({
    type: 'server_error',
    code: null,
    message: 'The server had an error while processing your request. Sorry about that!',
    param: null,
  }),
  /** [I] the wording of a frame that is not a JSON object. */
  invalidJson: () => invalidRequest('invalid_json', 'The server failed to parse the event as a JSON object.'),
  unknownEventType: (type: string, supported: readonly string[]) =>
    invalidRequest('invalid_value', `Invalid value: '${type}'. Supported values are: ${listValues(supported)}.`, 'type'),
  invalidValue: (param: string, message: string) => invalidRequest('invalid_value', message, param),
  missingParameter: (param: string) => invalidRequest('missing_required_parameter', `Missing required parameter: '${param}'.`, param),
  unknownParameter: (param: string) => invalidRequest('unknown_parameter', `Unknown parameter: '${param}'.`, param),
};

export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text;
}

function listValues(values: readonly unknown[]): string {
  const quoted = values.map((value) => `'${String(value)}'`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')}, and ${quoted.at(-1) ?? ''}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = Reflect.get(current, segment);
  }
  return current;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal number';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function describeSize(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `${value.length} characters`;
  if (Array.isArray(value)) return `${value.length} items`;
  return describeType(value);
}

function supportedValues(issue: z.core.$ZodIssue): readonly unknown[] {
  if (issue.code === 'invalid_value') return issue.values;
  if (issue.code === 'invalid_union') {
    // A discriminated union that matched no option lists its discriminator values in `options`.
    const options: unknown = Reflect.get(issue, 'options');
    if (Array.isArray(options)) return options;
    return issue.errors.flatMap((branch) => branch.flatMap((inner) => (inner.code === 'invalid_value' && inner.path.length === 0 ? inner.values : [])));
  }
  return [];
}

/**
 * Lower rank is reported first, one error per frame. A missing `type` wins because it decides which shape applies
 * (a GA update without `session.type` is `missing_required_parameter` [F]); then unknown keys, missing keys, bad values [I].
 */
function rank(issue: z.core.$ZodIssue, input: unknown): number {
  if (issue.path.at(-1) === 'type' && valueAt(input, issue.path) === undefined) return 0;
  if (issue.code === 'unrecognized_keys') return 1;
  if (valueAt(input, issue.path) === undefined) return 2;
  return 3;
}

/**
 * Turns zod issues into the single error the server sends. `input` is the JSON the schema saw and `prefix` names
 * where it sits in the event (`['item']` for an item parsed on its own), so params read like `item.content[0].type`.
 */
export function errorFromIssues(issues: readonly z.core.$ZodIssue[], input: unknown, prefix: readonly PropertyKey[] = []): RealtimeErrorBody {
  const sorted = [...issues].sort((a, b) => rank(a, input) - rank(b, input));
  const issue = sorted[0];
  if (!issue) return realtimeErrors.invalidValue(formatPath(prefix), 'Invalid request.');
  const param = formatPath([...prefix, ...issue.path]);
  if (issue.code === 'unrecognized_keys') return realtimeErrors.unknownParameter(formatPath([...prefix, ...issue.path, issue.keys[0] ?? '']));
  const value = valueAt(input, issue.path);
  if (value === undefined) return realtimeErrors.missingParameter(param);
  if (issue.code === 'invalid_union') {
    // A branch whose problems all sit below the union's own value matched its shape: report from that branch.
    const closest = issue.errors.filter((branch) => branch.length > 0 && branch.every((inner) => inner.path.length > 0)).sort((a, b) => a.length - b.length)[0];
    if (closest) return errorFromIssues(closest, value, [...prefix, ...issue.path]);
  }
  const supported = supportedValues(issue);
  if (supported.length > 0) {
    return realtimeErrors.invalidValue(param, `Invalid value: '${String(typeof value === 'object' ? JSON.stringify(value) : value)}'. Supported values are: ${listValues(supported)}.`);
  }
  switch (issue.code) {
    case 'invalid_type':
      return {
        type: 'invalid_request_error',
        code: 'invalid_type',
        message: `Invalid type for '${param}': expected ${issue.expected === 'int' ? 'an integer' : `a ${issue.expected}`}, but got ${describeType(value)} instead.`,
        param,
      };
    case 'too_big':
      return realtimeErrors.invalidValue(param, `Invalid '${param}': expected at most ${String(issue.maximum)}, but got ${describeSize(value)} instead.`);
    case 'too_small':
      return realtimeErrors.invalidValue(param, `Invalid '${param}': expected at least ${String(issue.minimum)}, but got ${describeSize(value)} instead.`);
    default:
      return realtimeErrors.invalidValue(param, `Invalid value for '${param}'.`);
  }
}
