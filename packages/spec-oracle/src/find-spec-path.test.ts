import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSpecPath } from './find-spec-path.js';

describe('findSpecPath', () => {
  it('finds shared/specs beside an ancestor of the start directory', () => {
    const root = mkdtempSync(join(tmpdir(), 'spec-path-'));
    mkdirSync(join(root, 'shared', 'specs'), { recursive: true });
    writeFileSync(join(root, 'shared', 'specs', 'openrouter-openapi.yaml'), 'components: {}\n');
    const start = join(root, 'clone', 'packages', 'core');
    mkdirSync(start, { recursive: true });
    expect(findSpecPath({ startDirectories: [start], environment: {} })).toBe(
      join(root, 'shared', 'specs', 'openrouter-openapi.yaml'),
    );
  });

  it('names every path it tried when no ancestor has the document', () => {
    // Bounded by stopAt: a shared folder beside a clone in the temp directory must not answer.
    const root = mkdtempSync(join(tmpdir(), 'spec-path-'));
    const start = join(root, 'a', 'b');
    mkdirSync(start, { recursive: true });
    const tried = ['a/b', 'a', ''].map((sub) =>
      join(root, sub, 'shared', 'specs', 'openrouter-openapi.yaml'),
    );
    expect(() => findSpecPath({ startDirectories: [start], environment: {}, stopAt: root })).toThrow(
      `Tried:\n  ${tried.join('\n  ')}`,
    );
  });

  it('prefers SWITCHYARD_OPENROUTER_SPEC', () => {
    const root = mkdtempSync(join(tmpdir(), 'spec-path-'));
    const specPath = join(root, 'elsewhere.yaml');
    writeFileSync(specPath, 'components: {}\n');
    expect(findSpecPath({ environment: { SWITCHYARD_OPENROUTER_SPEC: specPath } })).toBe(specPath);
  });

  it('says which path the environment variable named when it does not exist', () => {
    expect(() => findSpecPath({ environment: { SWITCHYARD_OPENROUTER_SPEC: '/nope/spec.yaml' } })).toThrow(
      'SWITCHYARD_OPENROUTER_SPEC points to /nope/spec.yaml, which does not exist.',
    );
  });
});
