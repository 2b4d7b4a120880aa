import nock from 'nock';
import { describeNockSignedBy } from './run-nock-cases.ts';

describeNockSignedBy('14', nock);
