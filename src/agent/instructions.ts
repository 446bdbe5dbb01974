// Agent instructions live as markdown in prompts/, loaded by name at start-up and filled with {{variables}}.
import { readFileSync } from 'node:fs';

export const PROMPTS_DIR = new URL('../../prompts/', import.meta.url);

/** Reads prompts/<name>.md; a missing file or an unfilled {{variable}} is a start-up error, never a call-time surprise. */
export function loadPrompt(name: string, variables: Readonly<Record<string, string>>, dir: URL = PROMPTS_DIR): string {
  const template = readFileSync(new URL(`${name}.md`, dir), 'utf8');
  return fillTemplate(template, variables, name);
}

export function fillTemplate(template: string, variables: Readonly<Record<string, string>>, name = 'template'): string {
  const body = template.replace(/^<!--[\s\S]*?-->\s*/, '');
  const missing = new Set<string>();
  const filled = body.replace(/\{\{\s*([a-zA-Z][\w]*)\s*\}\}/g, (_match, key: string) => {
    const value = variables[key];
    if (value === undefined) missing.add(key);
    return value ?? '';
  });
  if (missing.size > 0) throw new Error(`Prompt ${name} needs ${[...missing].join(', ')}`);
  return filled.trim();
}

export type AgentPrompts = { instructions: string; greeting: string; wrapUp: string; stillChecking: string; resume: string };

export function loadAgentPrompts(options: { brandName: string; recordingDisclosure: boolean; dir?: URL }): AgentPrompts {
  const disclosure = options.recordingDisclosure ? 'This call is recorded for quality and training. ' : '';
  const variables = { brandName: options.brandName, recordingDisclosure: disclosure };
  const dir = options.dir ?? PROMPTS_DIR;
  return {
    instructions: loadPrompt('agent', variables, dir),
    greeting: loadPrompt('greeting', variables, dir),
    wrapUp: loadPrompt('wrap-up', variables, dir),
    stillChecking: loadPrompt('still-checking', variables, dir),
    resume: loadPrompt('resume', variables, dir),
  };
}
