import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load-config.js';
import { ConfigError } from '../src/errors/config-error.js';
import { createRouter } from '../src/router/create-router.js';

const ENV = {
  OPENROUTER_API_KEY: 'sk-or-v1-readme-example',
  HEALTH_TEAM_KEY: 'sk-sy-health-team-0001',
  ACME_KEY: 'sk-sy-acme-00000001',
};

/** The ```yaml blocks of a README between a heading and the next heading of the same level. */
function yamlBlocks(file: string, heading: string): string[] {
  const text = readFileSync(new URL(file, import.meta.url), 'utf8');
  const start = text.indexOf(`${heading}\n`);
  expect(start, `${file} has no "${heading}"`).toBeGreaterThanOrEqual(0);
  const level = heading.split(' ')[0] as string;
  const next = text.indexOf(`\n${level} `, start + heading.length);
  const section = text.slice(start, next === -1 ? undefined : next);
  return [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1] as string);
}

function issuesOf(text: string): string[] {
  try {
    parseConfig(text, { env: ENV });
  } catch (error) {
    if (ConfigError.isInstance(error)) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  return [];
}

describe('the provider-policy and conditional-route examples of the READMEs', () => {
  const examples = [
    ...yamlBlocks('../README.md', '## Provider policies and conditional routes'),
    ...yamlBlocks('../../../README.md', '### Provider policies and conditional routes'),
  ];

  it('are valid configurations a router starts from', async () => {
    expect(examples.length).toBe(3);
    for (const example of examples) {
      expect(issuesOf(example)).toEqual([]);
      const router = createRouter({ config: parseConfig(example, { env: ENV }) });
      expect(router.names().routes.length).toBeGreaterThan(0);
      await router.close();
    }
  });

  it('say what the documented errors say', () => {
    const example = examples[1] as string;
    expect(issuesOf(example.replace('caller.tags: pro', 'caller.team: pro'))).toEqual([
      expect.stringMatching(
        /^routes\.tiered\.rules\[1\]\.when\.caller\.team: unknown field "caller\.team": use caller\.key, /,
      ),
    ]);
    expect(issuesOf(example.replace('$in: [gold, platinum]', '$regex: "[gold"'))).toEqual([
      expect.stringMatching(
        /^routes\.tiered\.rules\[2\]\.when\.\$or\[0\]\.header\.x-tier\.\$regex: invalid regular expression: /,
      ),
    ]);
    expect(issuesOf(example.replace('target: premium }', 'target: nowhere }'))).toEqual([
      'routes.tiered.rules[1].target: unknown model "nowhere"',
    ]);
    expect(
      issuesOf(
        (examples[0] as string).replace('data_collection: deny, ignore', 'data_collection: never, ignore'),
      ),
    ).toEqual([
      'routes.private.providerPolicy.data_collection: Invalid option: expected one of "deny"|"allow"',
    ]);
  });
});
