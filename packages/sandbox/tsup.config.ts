import { defineConfig } from 'tsup';
import { nodeLibrary } from '../../tsup.library.ts';

// The sandbox is a Node HTTP server.
export default defineConfig(nodeLibrary);
