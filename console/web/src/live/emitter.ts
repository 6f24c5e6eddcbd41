/** A minimal typed subscription list: `on(handler)` returns the function that unsubscribes. */
export interface Emitter<T> {
  on(handler: (value: T) => void): () => void;
  emit(value: T): void;
}

export function createEmitter<T>(): Emitter<T> {
  const handlers = new Set<(value: T) => void>();
  return {
    on(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    emit(value) {
      for (const handler of handlers) handler(value);
    },
  };
}
