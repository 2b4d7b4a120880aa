import { CountersignError } from '@countersign/core';

/** The inspector page's options (`startSandbox({ inspector })`). */
export interface SandboxInspectorOptions {
  /** How many requests it keeps and shows, newest first; older ones are dropped. @default 300 */
  readonly maxRequests?: number;
  /**
   * Host names, besides 127.0.0.1, localhost and [::1], under which the inspector answers
   * (`name` or `name:port`): for a sandbox reached through a container's name or a proxy.
   * Any other Host or Origin is refused (DNS rebinding). @default []
   */
  readonly hosts?: readonly string[];
  /** How many pages may follow the live stream at once. @default 8 */
  readonly maxViewers?: number;
}

export interface InspectorSettings {
  readonly maxRequests: number;
  readonly hosts: readonly string[];
  readonly maxViewers: number;
}

const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

function invalid(message: string): CountersignError {
  return new CountersignError('invalid_option', `startSandbox: inspector.${message}`);
}

function count(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > max) {
    throw invalid(`${name} must be a whole number from 1 to ${max}.`);
  }
  return value as number;
}

/** The inspector's settings, or undefined when it is turned off (`inspector: false`). */
export function inspectorSettings(options: SandboxInspectorOptions | false | undefined): InspectorSettings | undefined {
  if (options === false) return undefined;
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new CountersignError('invalid_option', 'startSandbox: inspector must be an options object or false.');
  }
  const hosts = options?.hosts ?? [];
  if (!Array.isArray(hosts) || !hosts.every((host) => typeof host === 'string' && HOST.test(host))) {
    throw invalid('hosts must be a list of host names, each optionally with :port (such as sandbox.test:8080).');
  }
  return {
    maxRequests: count(options?.maxRequests, 'maxRequests', 300, 10_000),
    hosts,
    maxViewers: count(options?.maxViewers, 'maxViewers', 8, 100),
  };
}
