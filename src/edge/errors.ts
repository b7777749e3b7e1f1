/**
 * An error an AWS API returns to the caller. Services throw these; the protocol
 * codec of the edge decides how they are written on the wire (JSON `__type`,
 * XML `<Error>`, REST headers), so services never know about protocols.
 */
export class AwsError extends Error {
  constructor(
    /** The AWS error code, e.g. `ValidationException`. */
    readonly code: string,
    message: string,
    /** HTTP status the error is sent with. */
    readonly status = 400,
    /** Extra members serialised next to the message (e.g. `Item`, `CancellationReasons`). */
    readonly extra?: Record<string, unknown>,
    /** The member name the message travels in: AWS writes `Message` for a few errors. */
    readonly messageKey: 'message' | 'Message' = 'message',
  ) {
    super(message);
    this.name = code;
  }
}

export const validationError = (message: string): AwsError => new AwsError('ValidationException', message);
export const serializationError = (message: string): AwsError => new AwsError('SerializationException', message, 400, undefined, 'Message');
