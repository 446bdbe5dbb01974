// Id sources are inputs too: production uses random ids, tests use a counter.
import { randomUUID } from 'node:crypto';

export interface IdSource {
  next(prefix: string): string;
}

export const randomIds: IdSource = {
  next: (prefix) => `${prefix}_${randomUUID().replaceAll('-', '')}`,
};

export function sequentialIds(): IdSource {
  let counter = 0;
  return { next: (prefix) => `${prefix}_${String(++counter).padStart(4, '0')}` };
}
