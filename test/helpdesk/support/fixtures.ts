// Reads a Gorgias wire fixture from test/fixtures/gorgias by name.
import { readFileSync } from 'node:fs';

export function gorgiasFixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../fixtures/gorgias/${name}.json`, import.meta.url), 'utf8'));
}
