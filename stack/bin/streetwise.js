#!/usr/bin/env node
// The committed bin of this package: runs the built CLI, building it first when needed (scripts/launch-bin.mjs).
import { launchBin } from '../../scripts/launch-bin.mjs';

await launchBin('streetwise', new URL('../dist/main.js', import.meta.url), { webApp: true });
