// Reads and checks query strings: unknown parameters are a 400 like unknown body fields (gorgias-rest-api.md, 5 [C]).
// Repeated keys are allowed only for array parameters (`ticket_ids=1&ticket_ids=2`, 6.5 [C]). Pure.
import { addFieldError, isErrorDataEmpty, UNKNOWN_FIELD, type ErrorData } from './api-reply.ts';
import { parseWireDatetime, type Micros } from './wire-datetime.ts';

export class QueryReader {
  #query: URLSearchParams;
  #errors: ErrorData = {};

  constructor(query: URLSearchParams, allowedKeys: readonly string[], arrayKeys: readonly string[] = []) {
    this.#query = query;
    for (const key of new Set(query.keys())) {
      if (!allowedKeys.includes(key) && !arrayKeys.includes(key)) {
        addFieldError(this.#errors, [key], UNKNOWN_FIELD);
      } else if (!arrayKeys.includes(key) && query.getAll(key).length > 1) {
        addFieldError(this.#errors, [key], 'Must be given once.');
      }
    }
  }

  string(key: string): string | undefined {
    return this.#query.get(key) ?? undefined;
  }

  int(key: string, bounds: { min?: number; max?: number } = {}): number | undefined {
    const text = this.#query.get(key);
    if (text === null) return undefined;
    const value = /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(value)) return this.#fail(key, 'Not a valid integer.');
    if (bounds.min !== undefined && value < bounds.min) return this.#fail(key, `Must be greater than or equal to ${bounds.min}.`);
    if (bounds.max !== undefined && value > bounds.max) return this.#fail(key, `Must be less than or equal to ${bounds.max}.`);
    return value;
  }

  /** Only `true`/`false` are read as booleans [I]. */
  boolean(key: string): boolean | undefined {
    const text = this.#query.get(key);
    if (text === null) return undefined;
    if (text === 'true') return true;
    if (text === 'false') return false;
    return this.#fail(key, 'Not a valid boolean.');
  }

  oneOf<T extends string>(key: string, values: readonly T[]): T | undefined {
    const text = this.#query.get(key);
    if (text === null) return undefined;
    const found = values.find((value) => value === text);
    return found ?? this.#fail(key, `Must be one of: ${values.join(', ')}.`);
  }

  datetime(key: string): Micros | undefined {
    const text = this.#query.get(key);
    if (text === null) return undefined;
    return parseWireDatetime(text) ?? this.#fail(key, 'Not a valid datetime.');
  }

  strings(key: string): string[] | undefined {
    const values = this.#query.getAll(key);
    return values.length === 0 ? undefined : values;
  }

  ints(key: string, bounds: { maxItems?: number } = {}): number[] | undefined {
    const values = this.#query.getAll(key);
    if (values.length === 0) return undefined;
    if (bounds.maxItems !== undefined && values.length > bounds.maxItems) return this.#fail(key, `Length must be at most ${bounds.maxItems}.`);
    const numbers = values.map((text) => (/^\d+$/.test(text) ? Number(text) : Number.NaN));
    return numbers.every((value) => Number.isSafeInteger(value)) ? numbers : this.#fail(key, 'Not a valid integer.');
  }

  fail(key: string, message: string): undefined {
    return this.#fail(key, message);
  }

  errors(): ErrorData | undefined {
    return isErrorDataEmpty(this.#errors) ? undefined : this.#errors;
  }

  #fail(key: string, message: string): undefined {
    addFieldError(this.#errors, [key], message);
    return undefined;
  }
}
