import { createMemoryOutbox } from './memory-store.js';
import { describeOutboxStore } from './store-contract.test-suite.js';

describeOutboxStore('memory', (bounds) => createMemoryOutbox(bounds));
