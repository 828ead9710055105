/** Base class of the lock port's errors, so callers can catch them as one family. */
export class LockError extends Error {
  constructor(
    message: string,
    readonly resource: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The lock was held by someone else for the whole retry budget (or the lock store could not be reached). */
export class LockUnavailableError extends LockError {
  constructor(resource: string, options?: ErrorOptions) {
    super(`lock "${resource}" is unavailable`, resource, options);
  }
}

/** The lease has expired, was released, or another holder has the lock now. */
export class LockLostError extends LockError {
  constructor(resource: string, options?: ErrorOptions) {
    super(`lease on "${resource}" is lost`, resource, options);
  }
}
