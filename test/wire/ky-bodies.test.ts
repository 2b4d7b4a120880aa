import ky from 'ky';
import { describeKyBodies } from './run-ky-bodies.ts';

describeKyBodies('ky 1', ky, 1);
