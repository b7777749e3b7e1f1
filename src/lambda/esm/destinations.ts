import type { FailureDestinations } from './mapping.js';

/** The parts of SQS and SNS an on-failure destination needs (src/sqs, src/sns internal APIs). */
export interface DestinationServices {
  sqs(): { sendMessage(queueArn: string, message: { body: string }): unknown };
  sns(): { publish(topicArn: string, message: string): unknown };
}

/**
 * On-failure destinations routed by ARN: `arn:aws:sqs:...` is a queue (the
 * record is the message body), `arn:aws:sns:...` a topic (the record is the
 * message). The services are looked up at send time, since SNS is built after
 * Lambda. A missing queue or topic throws its service's error; the engine
 * logs it and tries again.
 */
export function routeFailureDestinations(services: DestinationServices): FailureDestinations {
  return {
    send(destinationArn, message) {
      const service = destinationArn.split(':')[2];
      if (service === 'sqs') services.sqs().sendMessage(destinationArn, { body: message });
      else if (service === 'sns') services.sns().publish(destinationArn, message);
      else throw new Error(`Eddy cannot deliver to on-failure destination ${destinationArn}: only SQS queues and SNS topics are supported`);
    },
  };
}
