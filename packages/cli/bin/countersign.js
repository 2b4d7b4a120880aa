#!/usr/bin/env node
// Inside the workspace the command runs from source through tsx; the published package
// points its bin at the compiled dist/main.js instead.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
