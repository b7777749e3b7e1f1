import type { RequestContext } from '../edge/request-context.js';
import type { Queues } from './queues.js';

/** What every SQS operation reaches through its context (the request context inherits it). */
export interface SqsDeps {
  queues: Queues;
}

export type SqsContext = RequestContext & SqsDeps;

/** Who sent a message, as the SenderId attribute reports it: Eddy does not check credentials, so the account. */
export const senderIdOf = (ctx: RequestContext): string => ctx.accountId;
