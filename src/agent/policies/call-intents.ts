// What a caller wanted, recorded for every call (issue 3) and shown on the dashboard and the Gorgias ticket.

export const CallIntent = {
  wismo: 'wismo',
  return: 'return',
  policyQuestion: 'policy_question',
  productQuestion: 'product_question',
  other: 'other',
} as const;

export type CallIntent = (typeof CallIntent)[keyof typeof CallIntent];

export const CALL_INTENTS = {
  wismo: { label: 'Where is my order' },
  return: { label: 'Return' },
  policy_question: { label: 'Policy question' },
  product_question: { label: 'Product question' },
  other: { label: 'Other' },
} as const satisfies Record<CallIntent, { label: string }>;

/** Every intent, in catalog order. */
export const CALL_INTENT_CODES: readonly CallIntent[] = Object.values(CallIntent);

export function isCallIntent(value: string): value is CallIntent {
  return CALL_INTENT_CODES.some((code) => code === value);
}

export function callIntentLabel(intent: CallIntent): string {
  return CALL_INTENTS[intent].label;
}
