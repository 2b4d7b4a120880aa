import { defineConfig } from 'tsup';
import { library } from '../../tsup.library.ts';

// Web APIs only (the Node adapter uses types from node:http, nothing at run time).
export default defineConfig(library);
