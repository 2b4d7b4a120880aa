export { default } from '../../tsup.library.ts';
