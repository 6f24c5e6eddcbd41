export { waitFor } from './wait-for.js';
export type { WaitForOptions } from './wait-for.js';
export { repeatedJsonKeys } from './json-keys.js';
