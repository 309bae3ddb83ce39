// V8's heap-sizing flags that a command sets while it runs (`scan`, `pss`). V8 reads them each time
// it sizes a space, so setting them after start takes effect. Only the CLI's commands set them: a
// library caller's process keeps V8's settings. The build puts them back (heapDefaults) before it
// saves the bundle's code cache, whose key includes the flags.
import { setFlagsFromString } from 'node:v8';

/** The young generation keeps its starting size (V8 doubles it up to 3 × 16 MB). */
export function youngGenerationFixed(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

/** V8's own young-generation growth. */
export function youngGenerationGrows(): void {
  setFlagsFromString('--semi-space-growth-factor=2');
}

/** The old generation may grow by `percent`% between full collections (100: to 2x its live size). */
export function oldGenerationGrows(percent: number): void {
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}

/** V8's own old-generation growth (from its measured collector and program speeds). */
export function oldGenerationGrowsAsV8(): void {
  setFlagsFromString('--heap-growing-percent=0');
}

/** V8's defaults for every flag above. */
export function heapDefaults(): void {
  youngGenerationGrows();
  oldGenerationGrowsAsV8();
}
