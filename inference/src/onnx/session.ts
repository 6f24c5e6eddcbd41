import type ort from 'onnxruntime-node';

/**
 * onnxruntime-node options for small CPUs: `threads` intra-op threads (default 1: leave a core for decoding
 * and the rest), sequential execution, all graph optimisations, warnings and errors only.
 */
export function sessionOptions(threads = 1): ort.InferenceSession.SessionOptions {
  return { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all', logSeverityLevel: 3 };
}

/** Shape of the session's first input or output as the graph declares it (strings for dynamic axes; [] when not a tensor). */
export function declaredShape(session: ort.InferenceSession, side: 'input' | 'output'): ReadonlyArray<number | string> {
  const meta = side === 'input' ? session.inputMetadata[0] : session.outputMetadata[0];
  return meta?.isTensor ? meta.shape : [];
}
