import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CALL_INTENT_CODES, CALL_INTENTS, callIntentLabel, isCallIntent } from '../../../src/agent/policies/call-intents.ts';
import {
  ESCALATION_REASON_CODES,
  ESCALATION_REASONS,
  escalationLabel,
  escalationPriority,
  isEscalationReason,
} from '../../../src/agent/policies/escalation-reasons.ts';

const DOC_PATH = path.resolve(import.meta.dirname, '../../../docs/escalation-reasons.md');

/** Rows of the doc's reasons table: `| \`code\` | label | priority | when |`. */
function documentedReasons(): Array<{ code: string; label: string; priority: string }> {
  return readFileSync(DOC_PATH, 'utf8')
    .split('\n')
    .flatMap((line) => {
      const match = /^\|\s*`([a-z_]+)`\s*\|\s*([^|]+?)\s*\|\s*([a-z]+)\s*\|/.exec(line);
      return match === null ? [] : [{ code: match[1] ?? '', label: match[2] ?? '', priority: match[3] ?? '' }];
    });
}

describe('escalation reasons', () => {
  it('lists every reason the issues name', () => {
    expect(ESCALATION_REASON_CODES).toEqual([
      'caller_requested_human',
      'verification_failed',
      'delivery_exception',
      'lookup_unavailable',
      'model_unavailable',
      'policy_question_unanswered',
      'refund_request',
      'exchange_request',
      'order_change',
      'return_not_eligible_disputed',
      'shopify_user_error',
      'max_duration',
      'other',
    ]);
  });

  it('keeps the label catalog in the order of the reasons', () => {
    expect(Object.keys(ESCALATION_REASONS)).toEqual(ESCALATION_REASON_CODES);
  });

  it('documents exactly the catalog, with the same labels and priorities, in the same order', () => {
    const catalog = ESCALATION_REASON_CODES.map((code) => ({ code, label: ESCALATION_REASONS[code].label, priority: ESCALATION_REASONS[code].priority }));

    expect(documentedReasons()).toEqual(catalog);
  });

  it('gives each reason a Gorgias priority Gorgias accepts', () => {
    for (const code of ESCALATION_REASON_CODES) expect(['critical', 'high', 'normal', 'low']).toContain(escalationPriority(code));
  });

  it.each([
    ['delivery_exception', true],
    ['other', true],
    ['toString', false],
    ['refund', false],
  ])('recognizes %j as a reason: %s', (value, expected) => {
    expect(isEscalationReason(value)).toBe(expected);
  });

  it('reads a label by reason', () => {
    expect(escalationLabel('verification_failed')).toBe('Could not verify the caller');
  });
});

describe('call intents', () => {
  it('lists the intents recorded for every call, each with a label', () => {
    expect(CALL_INTENT_CODES).toEqual(['wismo', 'return', 'policy_question', 'product_question', 'other']);
    expect(Object.keys(CALL_INTENTS)).toEqual(CALL_INTENT_CODES);
    for (const intent of CALL_INTENT_CODES) expect(CALL_INTENTS[intent].label).not.toBe('');
    expect(callIntentLabel('wismo')).toBe('Where is my order');
  });

  it.each([
    ['return', true],
    ['refund', false],
    ['constructor', false],
  ])('recognizes %j as an intent: %s', (value, expected) => {
    expect(isCallIntent(value)).toBe(expected);
  });
});
