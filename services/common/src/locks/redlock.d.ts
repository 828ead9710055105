// redlock 5.0.0-beta.2 ships types, but its package.json "exports" does not point at them, so NodeNext
// resolution cannot find them (fixed upstream but unreleased: mike-marcacci/node-redlock#290).
// This declares the part of node_modules/redlock/dist/index.d.ts that the lock adapter uses.
declare module "redlock" {
  import type { EventEmitter } from "node:events";
  import type { Cluster, Redis } from "ioredis";

  export interface Settings {
    readonly driftFactor: number;
    readonly retryCount: number;
    readonly retryDelay: number;
    readonly retryJitter: number;
    readonly automaticExtensionThreshold: number;
  }

  export class ExecutionError extends Error {}

  export class Lock {
    readonly resources: string[];
    readonly value: string;
    expiration: number;
  }

  export default class Redlock extends EventEmitter {
    constructor(clients: Iterable<Redis | Cluster>, settings?: Partial<Settings>);
    acquire(resources: string[], duration: number, settings?: Partial<Settings>): Promise<Lock>;
    extend(existing: Lock, duration: number, settings?: Partial<Settings>): Promise<Lock>;
    release(lock: Lock, settings?: Partial<Settings>): Promise<unknown>;
    quit(): Promise<void>;
  }
}
