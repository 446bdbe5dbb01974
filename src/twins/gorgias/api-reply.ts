// What a twin route answers, and the Gorgias error bodies (gorgias-rest-api.md, 5). Pure: builds values only.
// Validation data is nested marshmallow style (`{"messages": {"0": {"channel": [...]}}}`), the style S7 shows [I].
import type { core, z } from 'zod';
import { err, ok, type Result } from '../../shared/result.ts';

export type ErrorData = { [field: string]: string[] | ErrorData };

/** `body: undefined` means an empty body (tags 201/202, deletes 204). */
export type ApiReply = { status: number; body?: unknown; headers?: Record<string, string> };

export const MISSING_FIELD = 'Missing data for required field.';
export const UNKNOWN_FIELD = 'Unknown field.';

/** Legacy official messages (5, S7) where one exists; the others are ours [I]. */
export const ERROR_MESSAGES = {
  badRequest: 'Invalid request.',
  notFound: 'Resource not found.',
  methodNotAllowed: 'The specified HTTP method is not allowed.',
  conflict: 'The resource already exists.',
  unavailable: 'An external service had an issue.',
  serverError: 'Internal server error.',
  badGateway: 'Bad gateway.',
  unauthorized: 'Authentication failed: missing, invalid or expired credentials.',
  forbidden: 'You do not have the permission to perform this action.',
  rateLimited: 'Too many requests: the account API call limit is reached.',
  payloadTooLarge: 'Payload too large.',
  notEmulated: 'This endpoint exists in Gorgias but is not emulated by the Gorgias twin.',
} as const;

export function reply(status: number, body?: unknown): ApiReply {
  return body === undefined ? { status } : { status, body };
}

export function errorReply(status: number, msg: string, data?: ErrorData): ApiReply {
  return { status, body: { error: data === undefined ? { msg } : { msg, data } } };
}

export function badRequest(msg: string, data?: ErrorData): ApiReply {
  return errorReply(400, msg, data);
}

export function notFound(): ApiReply {
  return errorReply(404, ERROR_MESSAGES.notFound);
}

export function conflict(data?: ErrorData): ApiReply {
  return errorReply(409, ERROR_MESSAGES.conflict, data);
}

/** One field error at a path such as `['messages', 0, 'sender']`. */
export function fieldError(path: readonly PropertyKey[], message: string): ErrorData {
  const data: ErrorData = {};
  addFieldError(data, path, message);
  return data;
}

export function addFieldError(data: ErrorData, path: readonly PropertyKey[], message: string): void {
  if (path.length === 0) {
    appendMessage(data, '_schema', message);
    return;
  }
  let node: ErrorData = data;
  for (const [index, segment] of path.entries()) {
    const key = String(segment);
    if (index === path.length - 1) {
      appendMessage(node, key, message);
      return;
    }
    const child = node[key];
    if (child === undefined || Array.isArray(child)) {
      const created: ErrorData = {};
      node[key] = created;
      node = created;
    } else {
      node = child;
    }
  }
}

function appendMessage(node: ErrorData, key: string, message: string): void {
  const existing = node[key];
  if (Array.isArray(existing)) existing.push(message);
  else node[key] = [message];
}

/** Copies `source` under `path` into `target`. */
export function mergeFieldErrors(target: ErrorData, path: readonly PropertyKey[], source: ErrorData): void {
  for (const [key, value] of Object.entries(source)) {
    if (Array.isArray(value)) for (const message of value) addFieldError(target, [...path, key], message);
    else mergeFieldErrors(target, [...path, key], value);
  }
}

export function isErrorDataEmpty(data: ErrorData): boolean {
  return Object.keys(data).length === 0;
}

/** Maps zod issues onto field-keyed marshmallow-style messages. */
export function errorDataFromIssues(issues: readonly core.$ZodIssue[]): ErrorData {
  const data: ErrorData = {};
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) addFieldError(data, [...issue.path, key], UNKNOWN_FIELD);
      continue;
    }
    addFieldError(data, issue.path, describeIssue(issue));
  }
  return data;
}

function describeIssue(issue: core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return MISSING_FIELD;
      if (issue.input === null) return 'Field may not be null.';
      return `Not a valid ${issue.expected}.`;
    case 'invalid_value':
      return `Must be one of: ${issue.values.map(String).join(', ')}.`;
    case 'too_small':
      return issue.origin === 'array' ? `Length must be at least ${String(issue.minimum)}.` : `Must be at least ${String(issue.minimum)}.`;
    case 'too_big':
      return issue.origin === 'array' || issue.origin === 'string'
        ? `Length must be at most ${String(issue.maximum)}.`
        : `Must be at most ${String(issue.maximum)}.`;
    default:
      return issue.message.endsWith('.') ? issue.message : `${issue.message}.`;
  }
}

/** Parses a JSON body with a strict schema; a failure is a 400 carrying `msg` and field errors (5). */
export function validateBody<S extends z.ZodType>(schema: S, body: unknown, msg: string): Result<z.output<S>, ApiReply> {
  if (body === undefined) return err(badRequest(msg, { _schema: ['No input data provided.'] }));
  const parsed = schema.safeParse(body, { reportInput: true });
  return parsed.success ? ok(parsed.data) : err(badRequest(msg, errorDataFromIssues(parsed.error.issues)));
}
