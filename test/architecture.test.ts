// The folder tree is the architecture (STYLE.md, 1): this test fails on an import that points the wrong way.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');

/** Which parts each part may import (besides itself). */
const ALLOWED: Record<string, readonly string[]> = {
  shared: [],
  config: ['shared'],
  store: ['config', 'shared'],
  knowledge: ['config', 'shared'],
  commerce: ['store', 'config', 'shared'],
  telephony: ['store', 'config', 'shared'],
  voice: ['store', 'config', 'shared'],
  agent: ['commerce', 'knowledge', 'store', 'config', 'shared'],
  helpdesk: ['store', 'config', 'shared', 'agent'],
  dashboard: ['store', 'config', 'shared', 'agent'],
  call: ['telephony', 'voice', 'agent', 'store', 'config', 'shared'],
  twins: ['config', 'shared'],
  app: ['*'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function partOf(file: string): string {
  const [first] = relative(SRC, file).split('/');
  return first?.endsWith('.ts') ? 'app' : (first ?? 'app');
}

const IMPORT = /(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

describe('architecture', () => {
  const files = sourceFiles(SRC);

  it.each(files.map((file) => [relative(SRC, file), file]))('%s imports only the parts it may', (_name, file) => {
    const from = partOf(file);
    const allowed = ALLOWED[from];
    expect(allowed, `unknown part ${from}`).toBeDefined();
    const wrong: string[] = [];
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? '';
      if (!specifier.startsWith('.')) continue;
      const target = resolve(dirname(file), specifier);
      if (!target.startsWith(SRC)) continue;
      const to = partOf(target);
      if (to === from || allowed?.includes('*')) continue;
      // Only main.ts may reach the twins, and only by dynamic import in sandbox mode.
      if (to === 'twins' && relative(SRC, file) === 'main.ts' && match[2]) continue;
      if (!allowed?.includes(to)) wrong.push(`${specifier} (${from} → ${to})`);
    }
    expect(wrong).toEqual([]);
  });

  it('keeps production code free of twin imports except the sandbox loader', () => {
    const offenders = files.filter((file) => partOf(file) !== 'twins' && relative(SRC, file) !== 'main.ts' && /from\s+['"][^'"]*\/twins\//.test(readFileSync(file, 'utf8')));
    expect(offenders.map((file) => relative(SRC, file))).toEqual([]);
  });

  it('has no default exports and no barrel index files', () => {
    expect(files.filter((file) => /\nexport default /.test(readFileSync(file, 'utf8'))).map((file) => relative(SRC, file))).toEqual([]);
    expect(files.filter((file) => file.endsWith('/index.ts')).map((file) => relative(SRC, file))).toEqual([]);
  });
});
