#!/usr/bin/env -S node --max-semi-space-size=2
// The committed bin of this package: runs the built CLI, building it first when needed (scripts/launch-bin.mjs).
// The flag above: a 2 MB young generation keeps the agent ~30 MB smaller (see src/cli.ts).
import { launchBin } from '../../scripts/launch-bin.mjs';

await launchBin('streetwise-edge', new URL('../dist/cli.js', import.meta.url));
