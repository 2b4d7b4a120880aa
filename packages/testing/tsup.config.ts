import { defineConfig } from 'tsup';
import { library } from '../../tsup.library.ts';

// Web APIs only: nock and msw are never imported, only their objects are used.
export default defineConfig(library);
