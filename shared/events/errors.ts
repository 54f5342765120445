/** What the events' ports fail with, as the use cases tell it apart. */

/** Events could not all be put: the first `put` were. */
export class EventBusError extends Error {
  override name = 'EventBusError';
  readonly put: number;
  constructor(message: string, put: number, options?: ErrorOptions) {
    super(message, options);
    this.put = put;
  }
}
