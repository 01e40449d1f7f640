import { z } from 'zod';
import { decimalAmount } from '../config/decimal-amount.js';
import { type ProviderPolicy, QUANTIZATIONS } from './provider-policy.js';

const slug = z.string().min(1, 'must not be empty');
const sortBy = z.enum(['price', 'throughput', 'latency', 'exacto']);
const perMillion = decimalAmount({ what: 'a USD price', example: '1 or "0.5"' });

/**
 * The zod schema of a {@link ProviderPolicy} in config (`routes.<name>.providerPolicy`,
 * `models.<alias>.providerPolicy`, `keys[i].providerPolicy`): OpenRouter's `ProviderPreferences`
 * fields that Switchyard merges and checks, each with its type; an unknown field is an error.
 */
export const providerPolicySchema: z.ZodType<ProviderPolicy> = z.strictObject({
  order: z.array(slug).optional(),
  only: z.array(slug).optional(),
  ignore: z.array(slug).optional(),
  allow_fallbacks: z.boolean().optional(),
  sort: z
    .union(
      [sortBy, z.strictObject({ by: sortBy.optional(), partition: z.enum(['model', 'none']).optional() })],
      {
        error: 'must be "price", "throughput", "latency", "exacto" or { by, partition }',
      },
    )
    .optional(),
  data_collection: z.enum(['deny', 'allow']).optional(),
  zdr: z.boolean().optional(),
  require_parameters: z.boolean().optional(),
  quantizations: z.array(z.enum(QUANTIZATIONS)).optional(),
  max_price: z
    .strictObject({
      prompt: perMillion.optional(),
      completion: perMillion.optional(),
      request: perMillion.optional(),
      image: perMillion.optional(),
      audio: perMillion.optional(),
    })
    .optional(),
}) as z.ZodType<ProviderPolicy>;
