// Closes every switch over a union, so a new variant shows each place that must handle it.

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}
