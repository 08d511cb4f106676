/**
 * The invocation-log record as the Glue table reads it: every field Bedrock
 * writes (schemaType ... errorCode), with Hive types. OpenX JSON SerDe matches
 * field names case-insensitively, so columns are the lower-cased field names.
 *
 * Left out on purpose: input.inputBodyJson and output.outputBodyJson hold prompts
 * and responses (often personal data), and their shape differs per model, so a
 * typed column would break queries. Read them from the objects themselves. The one
 * exception is output.outputBodyJson.stopReason (Converse), which says whether a
 * guardrail intervened and holds no content.
 */
export interface GlueColumn {
  name: string;
  type: string;
  comment: string;
}

export const EXCLUDED_FIELDS = ['input.inputBodyJson', 'output.outputBodyJson'];

export const INVOCATION_LOG_COLUMNS: GlueColumn[] = [
  { name: 'schematype', type: 'string', comment: 'schemaType: ModelInvocationLog' },
  { name: 'schemaversion', type: 'string', comment: 'schemaVersion' },
  { name: 'timestamp', type: 'string', comment: 'timestamp (ISO 8601, UTC)' },
  { name: 'accountid', type: 'string', comment: 'accountId' },
  { name: 'region', type: 'string', comment: 'region' },
  { name: 'requestid', type: 'string', comment: 'requestId' },
  { name: 'operation', type: 'string', comment: 'operation, e.g. Converse' },
  { name: 'modelid', type: 'string', comment: 'modelId as the caller passed it, e.g. an application inference profile ARN' },
  { name: 'inferenceregion', type: 'string', comment: 'inferenceRegion' },
  { name: 'identity', type: 'struct<arn:string>', comment: 'identity.arn of the caller' },
  { name: 'requestmetadata', type: 'map<string,string>', comment: 'requestMetadata the caller passed (tenantId, useCase, ...)' },
  {
    name: 'input',
    type: 'struct<inputcontenttype:string,inputtokencount:bigint,cachereadinputtokencount:bigint,cachewriteinputtokencount:bigint,inputbodys3path:string>',
    comment: 'input, without the body',
  },
  {
    name: 'output',
    type: 'struct<outputcontenttype:string,outputtokencount:bigint,outputbodys3path:string,outputbodyjson:struct<stopreason:string>>',
    // stopReason of a Converse response: "guardrail_intervened" when a guardrail blocked or masked (stacks/safety/monitoring.ts).
    comment: 'output, without the body: of outputBodyJson only stopReason',
  },
  { name: 'errorcode', type: 'string', comment: 'errorCode of a failed invocation' },
];

/** The record field paths the columns cover, e.g. "input.inputTokenCount", lower-cased. */
export function coveredFieldPaths(): string[] {
  return INVOCATION_LOG_COLUMNS.flatMap((c) => {
    const struct = /^struct<(.+)>$/.exec(c.type);
    return struct ? struct[1].split(',').map((f) => `${c.name}.${f.split(':')[0]}`) : [c.name];
  });
}
