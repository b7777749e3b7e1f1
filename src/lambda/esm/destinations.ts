import type { FailureDestinations } from './mapping.js';

/** A message attribute as SQS takes it from the rest of Eddy (`Number` values travel as strings). */
export interface DestinationAttribute {
  DataType: string;
  StringValue: string;
}

/** The parts of SQS and SNS a destination needs (src/sqs, src/sns internal APIs). */
export interface DestinationServices {
  sqs(): { sendMessage(queueArn: string, message: { body: string; messageAttributes?: Record<string, DestinationAttribute> }): unknown };
  sns(): { publish(topicArn: string, message: string, attributes?: Record<string, DestinationAttribute>): unknown };
}

/** Where Lambda sends records: event source mapping on-failure records, asynchronous invocation records, dead-letter messages. */
export interface Destinations extends FailureDestinations {
  send(destinationArn: string, message: string, attributes?: Record<string, DestinationAttribute>): void;
}

/**
 * Destinations routed by ARN: `arn:aws:sqs:...` is a queue (the record is the
 * message body, `attributes` its message attributes), `arn:aws:sns:...` a
 * topic (the record is the message, `attributes` its message attributes). The services are looked up at send
 * time, since SNS is built after Lambda. A missing queue or topic throws its
 * service's error; the caller logs it (the mapping engine also tries again).
 */
export function routeFailureDestinations(services: DestinationServices): Destinations {
  return {
    send(destinationArn, message, attributes) {
      const service = destinationArn.split(':')[2];
      if (service === 'sqs') services.sqs().sendMessage(destinationArn, { body: message, ...(attributes ? { messageAttributes: attributes } : {}) });
      else if (service === 'sns') services.sns().publish(destinationArn, message, attributes);
      else throw new Error(`Eddy cannot deliver to destination ${destinationArn}: only SQS queues and SNS topics are supported`);
    },
  };
}
