import type { DynamoContext } from '../context.js';

/**
 * AWS answers with its regional endpoint and a 1440-minute cache period;
 * locally the endpoint is Eddy itself, as the client reached it, so SDKs that
 * discover endpoints keep talking to Eddy.
 */
export function DescribeEndpoints(_input: unknown, ctx: DynamoContext): unknown {
  return { Endpoints: [{ Address: ctx.host || `127.0.0.1:${ctx.config.port}`, CachePeriodInMinutes: 1440 }] };
}
