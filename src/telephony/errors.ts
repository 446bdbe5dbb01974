// The telephony error catalog: one stable code per way a Twilio REST call can fail, each with whether a retry
// can help and what it means. Never holds behaviour; call-control.ts classifies, callers decide.

export const CallControlErrorCode = {
  unauthorized: 'unauthorized',
  notFound: 'not_found',
  alreadyEnded: 'already_ended',
  rateLimited: 'rate_limited',
  unavailable: 'unavailable',
  invalidRequest: 'invalid_request',
} as const;
export type CallControlErrorCode = (typeof CallControlErrorCode)[keyof typeof CallControlErrorCode];

export const CALL_CONTROL_ERRORS: Readonly<Record<CallControlErrorCode, { readonly isRetryable: boolean; readonly description: string }>> = {
  unauthorized: { isRetryable: false, description: 'Twilio rejected the account SID or auth token (HTTP 401, error 20003).' },
  not_found: { isRetryable: false, description: 'Twilio does not know the resource (HTTP 404, error 20404).' },
  already_ended: {
    isRetryable: false,
    description: 'The call is over or no longer in progress (error 20404 or 21220), so it cannot be redirected or hung up.',
  },
  rate_limited: { isRetryable: true, description: 'Twilio throttled the request (HTTP 429, error 20429).' },
  unavailable: { isRetryable: true, description: 'Twilio did not answer in time, answered 5xx, or the network failed.' },
  invalid_request: { isRetryable: false, description: 'Twilio refused the request as invalid (other 4xx), or it broke a limit before sending.' },
};

export type CallControlError = {
  readonly code: CallControlErrorCode;
  /** Safe to log: Twilio's message or ours, never the TwiML or SMS body. */
  readonly message: string;
  readonly httpStatus?: number;
  /** Twilio's numeric error code (https://www.twilio.com/docs/api/errors). */
  readonly twilioCode?: number;
  readonly cause?: unknown;
};
