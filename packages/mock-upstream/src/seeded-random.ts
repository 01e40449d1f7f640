/** A pseudo-random source returning numbers in [0, 1). */
export type RandomSource = () => number;

/** Options of {@link createSeededRandom}. */
export interface SeededRandomOptions {
  /** Seed shared by all streams of one mock. */
  seed: number;
  /** Distinguishes independent streams of the same seed (faults, latency, auto router…). */
  stream: number;
}

/**
 * Mulberry32 generator. Each consumer gets its own stream so that, for example, turning latency on
 * does not change the sequence of random faults.
 */
export function createSeededRandom(options: SeededRandomOptions): RandomSource {
  let state = mix(mix(options.seed >>> 0) ^ Math.imul(options.stream + 1, 0x9e3779b9));
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Murmur3 finaliser: spreads nearby seeds far apart. */
function mix(input: number): number {
  let value = input >>> 0;
  value = Math.imul(value ^ (value >>> 16), 0x85ebca6b);
  value = Math.imul(value ^ (value >>> 13), 0xc2b2ae35);
  return (value ^ (value >>> 16)) >>> 0;
}
