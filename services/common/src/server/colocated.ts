/**
 * Implementations that services running in the same process offer each other, keyed by the proto
 * service's type name. `npm start` runs every service in one process, and a call between two of them then
 * skips the network and the serialisation; a service whose peer is not here uses its Connect client.
 * Callers look up at call time, because their peer may start after them.
 */
export class ColocatedServices {
  private readonly implementations = new Map<string, unknown>();

  provide<T>(typeName: string, implementation: T): void {
    this.implementations.set(typeName, implementation);
  }

  withdraw(typeName: string): void {
    this.implementations.delete(typeName);
  }

  lookup<T>(typeName: string): T | undefined {
    return this.implementations.get(typeName) as T | undefined;
  }
}
