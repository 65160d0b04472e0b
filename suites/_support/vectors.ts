// Moved to vectors/index.ts (issue 14); kept only until harness/run/index.ts imports it from there.
export { manifestSha256 } from '../../vectors/index.ts';
