/** Keeps a label's distinct values bounded: past `max` of them, new ones read as `other`. */
export interface LabelFolder {
  /** The value as a label: itself while there is room or once seen, else `other`. */
  fold(value: string): string;
}

/** The value every label past the cap reads as. */
export const FOLDED = 'other';

/** Creates a {@link LabelFolder} holding at most `max` distinct values. */
export function createLabelFolder(max: number): LabelFolder {
  const seen = new Set<string>();
  return {
    fold(value) {
      if (seen.has(value)) return value;
      if (seen.size >= max) return FOLDED;
      seen.add(value);
      return value;
    },
  };
}
