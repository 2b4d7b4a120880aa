/** An entry as kept: its id and its JSON, serialized once for every page that reads it. */
export interface StoredEntry {
  readonly id: number;
  readonly json: string;
}

/** The last requests the sandbox answered, oldest first, and who wants to hear of new ones. */
export interface InspectorLog {
  readonly maxRequests: number;
  add(entry: StoredEntry): void;
  /** The entries kept, oldest first; only those after `afterId` when given (an event stream resuming). */
  entries(afterId?: number): StoredEntry[];
  /** Calls `listener` with every entry added from now on; returns the unsubscribe function. */
  subscribe(listener: (entry: StoredEntry) => void): () => void;
}

/** A log bounded in entries and in characters: the oldest entries go first. */
export function createInspectorLog(maxRequests: number, maxLength: number): InspectorLog {
  const kept: StoredEntry[] = [];
  let length = 0;
  const listeners = new Set<(entry: StoredEntry) => void>();
  return {
    maxRequests,
    add(entry) {
      kept.push(entry);
      length += entry.json.length;
      while (kept.length > maxRequests || (length > maxLength && kept.length > 1)) {
        length -= (kept.shift() as StoredEntry).json.length;
      }
      for (const listener of listeners) listener(entry);
    },
    entries(afterId) {
      return afterId === undefined ? [...kept] : kept.filter((entry) => entry.id > afterId);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
