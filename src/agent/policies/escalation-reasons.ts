// The catalog of reasons a call is escalated, each with the label people read and the Gorgias ticket priority
// it gets (gorgias-rest-api.md: critical, high, normal, low). docs/escalation-reasons.md mirrors it; a test keeps
// the two in step.

export type GorgiasPriority = 'critical' | 'high' | 'normal' | 'low';

export const EscalationReason = {
  callerRequestedHuman: 'caller_requested_human',
  verificationFailed: 'verification_failed',
  deliveryException: 'delivery_exception',
  lookupUnavailable: 'lookup_unavailable',
  modelUnavailable: 'model_unavailable',
  policyQuestionUnanswered: 'policy_question_unanswered',
  refundRequest: 'refund_request',
  exchangeRequest: 'exchange_request',
  orderChange: 'order_change',
  returnNotEligibleDisputed: 'return_not_eligible_disputed',
  shopifyUserError: 'shopify_user_error',
  maxDuration: 'max_duration',
  other: 'other',
} as const;

export type EscalationReason = (typeof EscalationReason)[keyof typeof EscalationReason];

/** Label and priority per reason; `satisfies` makes a reason without an entry, or an unknown one, a type error. */
export const ESCALATION_REASONS = {
  caller_requested_human: { label: 'Caller asked for a person', priority: 'normal' },
  verification_failed: { label: 'Could not verify the caller', priority: 'high' },
  delivery_exception: { label: 'Delivery problem (late, lost or failed)', priority: 'high' },
  lookup_unavailable: { label: 'Order lookup unavailable', priority: 'normal' },
  model_unavailable: { label: 'Voice agent unavailable', priority: 'high' },
  policy_question_unanswered: { label: 'Question not covered by the help center', priority: 'low' },
  refund_request: { label: 'Refund request', priority: 'normal' },
  exchange_request: { label: 'Exchange request', priority: 'normal' },
  order_change: { label: 'Order change or cancellation', priority: 'high' },
  return_not_eligible_disputed: { label: 'Disputes a declined return', priority: 'normal' },
  shopify_user_error: { label: 'Shopify refused the request', priority: 'normal' },
  max_duration: { label: 'Call reached its time limit', priority: 'normal' },
  other: { label: 'Other', priority: 'normal' },
} as const satisfies Record<EscalationReason, { label: string; priority: GorgiasPriority }>;

/** Every reason, in catalog order. */
export const ESCALATION_REASON_CODES: readonly EscalationReason[] = Object.values(EscalationReason);

export function isEscalationReason(value: string): value is EscalationReason {
  return ESCALATION_REASON_CODES.some((code) => code === value);
}

export function escalationLabel(reason: EscalationReason): string {
  return ESCALATION_REASONS[reason].label;
}

export function escalationPriority(reason: EscalationReason): GorgiasPriority {
  return ESCALATION_REASONS[reason].priority;
}
