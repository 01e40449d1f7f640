import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../config/validate-config.js';
import { ConfigError } from '../../errors/config-error.js';
import { profileRequest } from '../request-profile.js';
import { type ConditionInput, compileCondition } from './compile-condition.js';
import { conditionIssues } from './route-condition.js';

const input = (over: Partial<ConditionInput> = {}): ConditionInput => ({
  caller: { key: 'team-a', user: 'u1', tags: ['pro', 'eu'] },
  model: 'smart',
  stream: false,
  responseFormat: undefined,
  profile: profileRequest({
    model: 'smart',
    messages: [{ role: 'user', content: 'Hello there, how are you?' }],
  }),
  headers: { 'x-tier': 'gold', 'x-multi': ['a', 'b'] },
  ...over,
});

describe('compileCondition', () => {
  it('tests equality by a bare value, and a list field when some item matches', () => {
    expect(compileCondition({ 'caller.tags': 'pro' })(input())).toBe(true);
    expect(compileCondition({ 'caller.tags': 'free' })(input())).toBe(false);
    expect(compileCondition({ 'caller.key': 'team-a', 'header.x-tier': 'gold' })(input())).toBe(true);
    expect(compileCondition({ 'caller.key': 'team-a', 'header.x-tier': 'silver' })(input())).toBe(false);
  });

  it('reads tools, response_format, stream and the estimated prompt tokens of the request', () => {
    const tools = profileRequest({
      model: 'smart',
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: [{ type: 'function', function: { name: 'weather', parameters: { type: 'object' } } }],
    });
    expect(compileCondition({ 'request.tools': true })(input({ profile: tools }))).toBe(true);
    expect(compileCondition({ 'request.tools': true })(input())).toBe(false);
    expect(
      compileCondition({ 'request.response_format': 'json_schema' })(
        input({ responseFormat: 'json_schema' }),
      ),
    ).toBe(true);
    expect(compileCondition({ 'request.stream': true })(input({ stream: true }))).toBe(true);
    expect(compileCondition({ 'request.prompt_tokens': { $gt: 5, $lt: 100 } })(input())).toBe(true);
    expect(compileCondition({ 'request.prompt_tokens': { $gt: 1000 } })(input())).toBe(false);
    expect(compileCondition({ 'request.max_tokens': { $gt: 1 } })(input())).toBe(false);
  });

  it('combines with $and, $or, $not, $in and $regex', () => {
    const condition = {
      $or: [
        { $and: [{ 'header.x-tier': { $in: ['gold', 'platinum'] } }, { $not: { 'caller.user': 'banned' } }] },
        { 'request.model': { $regex: '^beta-' } },
      ],
    };
    const test = compileCondition(condition);
    expect(test(input())).toBe(true);
    expect(test(input({ caller: { user: 'banned' } }))).toBe(false);
    expect(test(input({ headers: {}, model: 'beta-smart' }))).toBe(true);
    expect(compileCondition({ 'header.x-multi': { $regex: '^a, b$' } })(input())).toBe(true);
    expect(compileCondition({ 'header.x-missing': { $regex: '.*' } })(input())).toBe(false);
  });
});

describe('conditionIssues', () => {
  it('names a bad operator, a bad regex, an unknown field and a secret header with their paths', () => {
    expect(
      conditionIssues({
        $or: [{ 'caller.tags': { $like: 'pro' } }, { 'request.model': { $regex: '(' } }],
        'caller.team': 'a',
        'header.authorization': 'Bearer x',
        $xor: [],
        'request.tools': { $gt: 1 },
      }).map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    ).toEqual([
      '$or.0.caller.tags.$like: unknown operator "$like": use $eq, $in, $gt, $lt, $regex',
      expect.stringMatching(/^\$or\.1\.request\.model\.\$regex: invalid regular expression/),
      expect.stringMatching(/^caller\.team: unknown field "caller\.team": use caller\.key/),
      'header.authorization: a rule may not read the "authorization" header',
      '$xor: unknown operator "$xor": use $and, $or, $not or a field name',
      'request.tools.$gt: applies to number fields only (request.prompt_tokens, request.max_tokens)',
    ]);
  });
});

const base = {
  providers: { mock: { baseURL: 'http://127.0.0.1:1/v1' } },
  models: {
    cheap: { provider: 'mock', model: 'a/cheap' },
    premium: { provider: 'mock', model: 'a/premium' },
  },
};

function issuesOf(config: unknown): string[] {
  try {
    validateConfig(config);
  } catch (error) {
    if (ConfigError.isInstance(error)) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('conditional routes in config', () => {
  it('accepts rules and a default', () => {
    const config = validateConfig({
      ...base,
      routes: {
        smart: {
          strategy: 'conditional',
          rules: [{ when: { 'caller.tags': 'pro' }, target: 'premium' }],
          default: 'cheap',
        },
      },
    });
    expect(config.routes?.smart?.default).toBe('cheap');
  });

  it('names the bad rule: operator, regex, unknown field, unknown target, and a missing default', () => {
    expect(
      issuesOf({
        ...base,
        routes: {
          smart: {
            strategy: 'conditional',
            rules: [
              { when: { 'caller.tags': { $has: 'pro' } }, target: 'premium' },
              { when: { 'caller.tier': 'gold' }, target: 'premium' },
              { when: { 'header.x-tier': { $regex: '[' } }, target: 'premium' },
              { when: { 'request.tools': true }, target: 'nowhere' },
            ],
          },
          plain: { strategy: 'fallback', targets: ['cheap'], default: 'cheap' },
        },
      }),
    ).toEqual([
      'routes.smart.rules[0].when.caller.tags.$has: unknown operator "$has": use $eq, $in, $gt, $lt, $regex',
      expect.stringMatching(/^routes\.smart\.rules\[1\]\.when\.caller\.tier: unknown field "caller\.tier"/),
      expect.stringMatching(
        /^routes\.smart\.rules\[2\]\.when\.header\.x-tier\.\$regex: invalid regular expression/,
      ),
      'routes.smart.default: a conditional route must name a default target',
      'routes.plain.default: applies only to strategy "conditional"',
      'routes.smart.rules[3].target: unknown model "nowhere"',
    ]);
  });

  it('finds a cycle through a rule', () => {
    expect(
      issuesOf({
        ...base,
        routes: {
          a: {
            strategy: 'conditional',
            rules: [{ when: { 'caller.key': 'x' }, target: 'b' }],
            default: 'cheap',
          },
          b: { strategy: 'fallback', targets: ['a'] },
        },
      }),
    ).toEqual(['routes.a: routes form a cycle: a -> b -> a']);
  });

  it('checks provider policies against OpenRouter ProviderPreferences, with their paths', () => {
    expect(
      issuesOf({
        ...base,
        models: { cheap: { ...base.models.cheap, providerPolicy: { data_collection: 'never' } } },
        routes: {
          r: { strategy: 'fallback', targets: ['cheap'], providerPolicy: { only: 'openai', zdr: 'yes' } },
        },
        keys: [{ name: 'k', key: 'sk-sy-12345678', providerPolicy: { quantizations: ['fp7'], tier: 1 } }],
      }),
    ).toEqual([
      expect.stringMatching(/^models\.cheap\.providerPolicy\.data_collection: /),
      expect.stringMatching(/^routes\.r\.providerPolicy\.only: /),
      expect.stringMatching(/^routes\.r\.providerPolicy\.zdr: /),
      expect.stringMatching(/^keys\[0\]\.providerPolicy\.quantizations\[0\]: /),
      'keys[0].providerPolicy: unknown key "tier"',
    ]);
  });
});
