import { describe, expect, it } from 'vitest';
import { compareDecimal, mergePolicies } from './merge-policies.js';
import { policySkipReason, servedProviderProblem } from './policy-check.js';
import { readRequestPolicy } from './read-request-policy.js';

describe('mergePolicies', () => {
  it('lets the stricter data policy win whichever layer states it', () => {
    const { policy, tightened } = mergePolicies([
      { policy: { data_collection: 'deny', zdr: true } },
      { policy: { data_collection: 'allow', zdr: false, require_parameters: true }, fromRequest: true },
    ]);
    expect(policy).toMatchObject({ data_collection: 'deny', zdr: true, require_parameters: true });
    expect(tightened).toEqual(['data_collection', 'zdr']);
  });

  it('intersects only and quantizations, unites ignore, keeps the lowest max_price', () => {
    const { policy, tightened } = mergePolicies([
      { policy: { only: ['openai', 'anthropic'], ignore: ['deepinfra'], max_price: { prompt: '2' } } },
      { policy: { quantizations: ['fp8', 'fp16'] } },
      {
        policy: {
          only: ['Anthropic', 'google-vertex'],
          ignore: ['together'],
          quantizations: ['fp16', 'int4'],
          max_price: { prompt: '10', completion: '0.5' },
        },
        fromRequest: true,
      },
    ]);
    expect(policy.only).toEqual(['anthropic']);
    expect(policy.quantizations).toEqual(['fp16']);
    expect(policy.ignore).toEqual(['deepinfra', 'together']);
    expect(policy.max_price).toEqual({ prompt: '2', completion: '0.5' });
    expect(tightened).toEqual(['only', 'quantizations', 'max_price']);
  });

  it('does not count a request that asks for as much or more as a tightening', () => {
    const { policy, tightened } = mergePolicies([
      { policy: { data_collection: 'deny', only: ['openai', 'anthropic'], max_price: { prompt: '5' } } },
      {
        policy: { data_collection: 'deny', only: ['openai'], max_price: { prompt: '1' } },
        fromRequest: true,
      },
    ]);
    expect(policy).toMatchObject({ data_collection: 'deny', only: ['openai'], max_price: { prompt: '1' } });
    expect(tightened).toEqual([]);
  });

  it('takes preferences (order, sort) from the most specific layer and passes other request fields through', () => {
    const { policy } = mergePolicies([
      { policy: { order: ['openai'], sort: 'price' } },
      { policy: { order: ['anthropic'] } },
      { policy: { sort: 'latency', enforce_distillable_text: true } as never, fromRequest: true },
    ]);
    expect(policy).toEqual({ order: ['anthropic'], sort: 'latency', enforce_distillable_text: true });
  });

  it('stops fallbacks when any layer says allow_fallbacks: false, even if the request says true', () => {
    const merged = mergePolicies([
      { policy: { allow_fallbacks: false } },
      { policy: { allow_fallbacks: true }, fromRequest: true },
    ]);
    expect(merged.policy.allow_fallbacks).toBe(false);
    expect(merged.tightened).toEqual(['allow_fallbacks']);
  });
});

describe('compareDecimal', () => {
  it('compares decimal text exactly', () => {
    expect(compareDecimal('0.5', '0.50')).toBe(0);
    expect(compareDecimal('10', '9.99')).toBe(1);
    expect(compareDecimal('0.000001', '0.00001')).toBe(-1);
    expect(compareDecimal('007', '7')).toBe(0);
  });
});

describe('policy checks', () => {
  it('makes a target whose provider does not understand the policy ineligible for what it cannot honour', () => {
    expect(policySkipReason({ data_collection: 'deny' }, false)).toBe('policy:data_collection');
    expect(policySkipReason({ zdr: true }, false)).toBe('policy:zdr');
    expect(policySkipReason({ only: ['openai'] }, false)).toBe('policy:only');
    expect(policySkipReason({ ignore: ['deepinfra'] }, false)).toBe('policy:ignore');
    expect(policySkipReason({ sort: 'price', ignore: [], data_collection: 'allow' }, false)).toBeUndefined();
    expect(policySkipReason({ data_collection: 'deny', zdr: true, only: ['openai'] }, true)).toBeUndefined();
    expect(policySkipReason({ only: [] }, true)).toBe('policy:only');
  });

  it('finds a served provider outside only or inside ignore, names compared as slugs', () => {
    expect(servedProviderProblem({ ignore: ['deepinfra'] }, 'DeepInfra')).toMatch(/ignores/);
    expect(servedProviderProblem({ only: ['google-ai-studio'] }, 'Google AI Studio')).toBeUndefined();
    expect(servedProviderProblem({ only: ['openai'] }, 'Anthropic')).toMatch(/outside .*only: \[openai\]/);
    expect(servedProviderProblem({ only: ['openai'] }, undefined)).toBeUndefined();
  });
});

describe('readRequestPolicy', () => {
  it('names the bad field of a request provider object', () => {
    expect(readRequestPolicy('deny')).toEqual({ problem: '"provider" must be an object' });
    expect(readRequestPolicy({ only: 'openai' })).toEqual({
      problem: '"provider.only" must be an array of provider slugs',
    });
    expect(readRequestPolicy({ data_collection: 'never' })).toEqual({
      problem: '"provider.data_collection" must be "deny" or "allow"',
    });
    expect(readRequestPolicy({ max_price: { prompt: -1 } })).toEqual({
      problem: '"provider.max_price.prompt" must be a non-negative USD amount',
    });
  });

  it('keeps unknown fields, drops nulls and reads max_price numbers as exact decimals', () => {
    expect(readRequestPolicy({ zdr: null, max_price: { prompt: 0.1 }, preferred_max_latency: 2 })).toEqual({
      policy: { max_price: { prompt: '0.1' }, preferred_max_latency: 2 },
    });
  });
});
