// A scripted fake of the delivery port: each expected call in order with its canned answer; anything else fails.
import { expect } from 'vitest';
import type { DeliveryPort } from '../../../src/helpdesk/escalation-delivery.ts';

type Method = keyof DeliveryPort;
type Expected = { method: Method; reply: unknown; check?: (...args: unknown[]) => void };

export type ScriptedGorgias = DeliveryPort & { calls: { method: Method; args: unknown[] }[]; assertComplete(): void };

export function scriptedGorgias(script: Expected[]): ScriptedGorgias {
  const pending = [...script];
  const calls: { method: Method; args: unknown[] }[] = [];
  const answer =
    (method: Method) =>
    async (...args: unknown[]): Promise<never> => {
      calls.push({ method, args });
      const next = pending.shift();
      if (!next || next.method !== method) throw new Error(`unexpected Gorgias call ${method}; expected ${next?.method ?? 'nothing'}`);
      next.check?.(...args);
      return next.reply as never;
    };
  return {
    findCustomersByPhone: answer('findCustomersByPhone'),
    findCustomerByEmail: answer('findCustomerByEmail'),
    listCustomers: answer('listCustomers'),
    createCustomer: answer('createCustomer'),
    updateCustomer: answer('updateCustomer'),
    createTicket: answer('createTicket'),
    findTicketByExternalId: answer('findTicketByExternalId'),
    createMessage: answer('createMessage'),
    fetchAllMessages: answer('fetchAllMessages'),
    setTicketCustomFields: answer('setTicketCustomFields'),
    calls,
    assertComplete() {
      expect(pending.map((entry) => entry.method), 'scripted Gorgias calls never made').toEqual([]);
    },
  };
}
