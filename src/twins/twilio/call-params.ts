// The parameters Twilio sends about a call on every voice request (twilio-and-shopify.md, A1), and Twilio-shaped
// SIDs. It never sends anything; callers decide which request carries which extras.
import { randomBytes } from 'node:crypto';

/** `CA`, `AC`, `MZ`, `SM`, `RE` + 32 lowercase hex characters. */
export function twilioSid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

export const CallStatus = {
  queued: 'queued',
  ringing: 'ringing',
  inProgress: 'in-progress',
  completed: 'completed',
  busy: 'busy',
  failed: 'failed',
  noAnswer: 'no-answer',
  canceled: 'canceled',
} as const;
export type CallStatus = (typeof CallStatus)[keyof typeof CallStatus];

export type CallParty = {
  from: string;
  to: string;
  fromCity?: string;
  fromState?: string;
  fromZip?: string;
  fromCountry?: string;
  toCity?: string;
  toState?: string;
  toZip?: string;
  toCountry?: string;
  /** Sent only when the number has caller-name lookup enabled (A1). */
  callerName?: string;
  forwardedFrom?: string;
};

export const DEFAULT_PARTY: CallParty = {
  from: '+14155550100',
  to: '+18005550199',
  fromCity: 'SAN FRANCISCO',
  fromState: 'CA',
  fromZip: '94105',
  fromCountry: 'US',
  toCity: '',
  toState: '',
  toZip: '',
  toCountry: 'US',
};

/**
 * Standard request parameters, including the legacy `Caller`/`Called` duplicates and `CallerCity`-style
 * geography real requests carry (A1, field-observed), so a validator must sign whatever arrives.
 */
export function standardCallParams(
  ids: { callSid: string; accountSid: string },
  party: CallParty,
  callStatus: CallStatus,
): Record<string, string> {
  const params: Record<string, string> = {
    AccountSid: ids.accountSid,
    ApiVersion: '2010-04-01',
    CallSid: ids.callSid,
    CallStatus: callStatus,
    Called: party.to,
    CalledCity: party.toCity ?? '',
    CalledCountry: party.toCountry ?? '',
    CalledState: party.toState ?? '',
    CalledZip: party.toZip ?? '',
    Caller: party.from,
    CallerCity: party.fromCity ?? '',
    CallerCountry: party.fromCountry ?? '',
    CallerState: party.fromState ?? '',
    CallerZip: party.fromZip ?? '',
    Direction: 'inbound',
    From: party.from,
    FromCity: party.fromCity ?? '',
    FromCountry: party.fromCountry ?? '',
    FromState: party.fromState ?? '',
    FromZip: party.fromZip ?? '',
    To: party.to,
    ToCity: party.toCity ?? '',
    ToCountry: party.toCountry ?? '',
    ToState: party.toState ?? '',
    ToZip: party.toZip ?? '',
  };
  if (party.callerName !== undefined) params.CallerName = party.callerName;
  if (party.forwardedFrom !== undefined) params.ForwardedFrom = party.forwardedFrom;
  return params;
}

/** The first webhook also carries a `CallToken` (A1) and a STIR/SHAKEN verdict, values a fixed list would miss. */
export function incomingCallParams(ids: { callSid: string; accountSid: string }, party: CallParty): Record<string, string> {
  return {
    ...standardCallParams(ids, party, CallStatus.ringing),
    CallToken: JSON.stringify({ parentCallInfoToken: randomBytes(12).toString('base64'), identityHeaderTokens: [] }),
    StirVerstat: 'TN-Validation-Passed-A',
  };
}

/** RFC 2822 in GMT, the date format of Twilio callbacks and REST resources (A1). */
export function rfc2822(epochMs: number): string {
  return new Date(epochMs).toUTCString().replace('GMT', '+0000');
}
