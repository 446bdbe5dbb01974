// The error catalog of the voice part: codec parse failures and Realtime link failures, each with a stable code.
// Vendor error codes that arrive inside `error` events are not ours; they pass through as data.

export const RealtimeCodecErrorCode = {
  /** The frame is not JSON. */
  invalidJson: 'invalid_json',
  /** The frame is JSON but not an object with a string `type`. */
  notAnEvent: 'not_an_event',
  /** A known event type whose fields do not match the contract (openai-realtime.md, 4). */
  invalidEvent: 'invalid_event',
} as const;
export type RealtimeCodecErrorCode = (typeof RealtimeCodecErrorCode)[keyof typeof RealtimeCodecErrorCode];

export type RealtimeCodecError = {
  readonly code: RealtimeCodecErrorCode;
  /** The wire `type` when the frame had one. */
  readonly rawType: string | null;
  /** Which fields failed, never their values (a frame may carry audio or personal data). */
  readonly message: string;
};

export const RealtimeLinkErrorCode = {
  unauthorized: 'unauthorized',
  refused: 'refused',
  timeout: 'timeout',
  closed: 'closed',
  protocol: 'protocol',
} as const;
export type RealtimeLinkErrorCode = (typeof RealtimeLinkErrorCode)[keyof typeof RealtimeLinkErrorCode];

export const REALTIME_LINK_ERROR_DESCRIPTIONS: Readonly<Record<RealtimeLinkErrorCode, string>> = {
  unauthorized: 'The Realtime endpoint rejected the API key (HTTP 401 or 403 on the upgrade).',
  refused: 'The Realtime endpoint could not be reached or refused the upgrade.',
  timeout: 'No session.created arrived within the connect timeout.',
  closed: 'The socket closed before session.created arrived.',
  protocol: 'The first frame was not session.created (an error event or an unreadable frame).',
};

export type RealtimeLinkError = {
  readonly code: RealtimeLinkErrorCode;
  readonly message: string;
  /** HTTP status of a rejected upgrade, when there was one. */
  readonly httpStatus: number | null;
  readonly cause?: unknown;
};
