/**
 * Lasting misbehaviours of a model, as real endpoints show them: the article's "tool-call
 * mismatches" and structured-output failures. They shape replies the mock builds itself (a
 * scripted step's or `setReply`'s content wins over them).
 */
export interface ModelQuirks {
  /**
   * What the model does with `tools`: `ignore` answers in text instead of calling one
   * (`finish_reason: "stop"`); `malformed-arguments` calls it with arguments that are not JSON.
   */
  tools?: 'ignore' | 'malformed-arguments';
  /** `ignore`: a `response_format` `json_schema` is answered with prose, not JSON. */
  jsonSchema?: 'ignore';
}
