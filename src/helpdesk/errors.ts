// The error catalog of the helpdesk part: one stable code per way a Gorgias request can fail, keeping the cause.
// Messages name fields and statuses, never personal data, so they may be logged and stored as a job's last error.

export const GorgiasErrorCode = {
  /** 401 or 403: the key or token is missing, wrong, expired or lacks the scope (gorgias-rest-api.md, 2.3). */
  unauthorized: 'unauthorized',
  notFound: 'not_found',
  /** 409: an identifier is already in use, such as a customer's primary email (gorgias-rest-api.md, 5). */
  conflict: 'conflict',
  /** 429 that outlasted the client's own waits; `retryAfterMs` says when to come back (gorgias-rest-api.md, 3). */
  rateLimited: 'rate_limited',
  /** 400, 405, 413 or a body refused before sending: Gorgias will never accept this request as it is. */
  validation: 'validation',
  /** 5xx after the client's retries, or a POST whose landing could not be checked. */
  unavailable: 'unavailable',
  /** A 2xx whose body misses a field we rely on, or is not JSON. */
  badResponse: 'bad_response',
  /** No HTTP answer: refused, reset, timed out. */
  network: 'network',
} as const;
export type GorgiasErrorCode = (typeof GorgiasErrorCode)[keyof typeof GorgiasErrorCode];

/** One line per code, for the dashboard and the outbox CLI; a test keeps it in step with the catalog. */
export const GORGIAS_ERROR_DESCRIPTIONS: Readonly<Record<GorgiasErrorCode, string>> = {
  unauthorized: 'Gorgias rejected the credentials (HTTP 401/403): check the API key, the OAuth token or its scopes.',
  not_found: 'The Gorgias resource does not exist (HTTP 404), often because it was deleted.',
  conflict: 'Gorgias refused a duplicate (HTTP 409), such as an email already held by another customer.',
  rate_limited: 'Gorgias kept answering 429 Too Many Requests; the request waits for Retry-After.',
  validation: 'Gorgias refused the request as invalid (HTTP 400); retrying the same request cannot succeed.',
  unavailable: 'Gorgias answered with a server error (5xx) after retries.',
  bad_response: 'Gorgias answered 2xx with a body that misses required fields.',
  network: 'Gorgias could not be reached or did not answer in time.',
};

export type GorgiasError = {
  readonly code: GorgiasErrorCode;
  readonly message: string;
  /** The HTTP status when Gorgias answered. */
  readonly status: number | null;
  /** How long Gorgias asked us to wait (Retry-After), when it did. */
  readonly retryAfterMs: number | null;
  /** Field-keyed validation messages from the error body (gorgias-rest-api.md, 5). */
  readonly fields: Readonly<Record<string, readonly string[]>>;
  readonly cause?: unknown;
};

export function gorgiasError(
  code: GorgiasErrorCode,
  message: string,
  extra: { status?: number | null; retryAfterMs?: number | null; fields?: Record<string, readonly string[]>; cause?: unknown } = {},
): GorgiasError {
  return {
    code,
    message,
    status: extra.status ?? null,
    retryAfterMs: extra.retryAfterMs ?? null,
    fields: extra.fields ?? {},
    ...(extra.cause === undefined ? {} : { cause: extra.cause }),
  };
}

/** Maps a non-2xx status to its code (gorgias-rest-api.md, 5). */
export function gorgiasErrorCodeForStatus(status: number): GorgiasErrorCode {
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'unavailable';
  return 'validation';
}
