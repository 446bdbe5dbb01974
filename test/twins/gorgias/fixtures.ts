// Wire samples copied from contracts/gorgias-rest-api.md, loaded as raw JSON so each test can fill in real ids.
import { readFileSync } from 'node:fs';

export function loadFixture(name: string, ids: Record<string, number> = {}): unknown {
  let text = readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8');
  for (const [placeholder, id] of Object.entries(ids)) text = text.replaceAll(`"id": ${placeholder}`, `"id": ${id}`);
  return JSON.parse(text);
}
