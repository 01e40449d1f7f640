import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { SUMMARIZE_INSTRUCTION, type Summary, SummarySchema, summaryText } from '@switchyard/demo-kit';
import { LlmBudget, SwitchyardService, UseRoute } from '@switchyard/nestjs';

/** What `POST /summarize` answers. */
export interface SummaryAnswer extends Summary {
  /** The model that served. */
  model: string | undefined;
  /** True when the cheap answer was rejected and a better model served. */
  escalated: boolean;
  /** What the request cost, failed attempts included, in USD. */
  costUsd: string;
}

/**
 * `POST /summarize` `{ text }` → `{ title, bullets, model, escalated, costUsd }`: one call on the
 * `smart` route (a cheap-first cascade) with a zod schema as the validator, so an answer that is
 * not a summary escalates to the next model instead of reaching the client. Each call may cost at
 * most $0.05, and each user may spend $1 a day here.
 */
@Controller('summarize')
export class SummarizeController {
  constructor(private readonly switchyard: SwitchyardService) {}

  @Post()
  @HttpCode(200)
  @UseRoute('smart')
  @LlmBudget({ usd: '1', period: 'day', per: 'user', maxCostUsd: '0.05' })
  async summarize(@Body() body: unknown): Promise<SummaryAnswer> {
    const text = summaryText(body);
    const { parsed, trace } = await this.switchyard.chat(
      {
        messages: [
          { role: 'system', content: SUMMARIZE_INSTRUCTION },
          { role: 'user', content: text },
        ],
        // Bounds the worst case, so the premium model fits the $0.05 ceiling.
        max_tokens: 400,
      },
      { validate: [SummarySchema] },
    );
    // The schema accepted the answer; what it parsed comes back with the result.
    const summary = parsed as Summary;
    return {
      ...summary,
      model: trace.served?.returnedModel,
      escalated: trace.escalated,
      costUsd: trace.costUsd,
    };
  }
}
