/** The median of rates measured in interleaved rounds (the machine's speed drifts between rounds). */
export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
