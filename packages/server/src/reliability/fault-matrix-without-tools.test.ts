import { describeFaultMatrix } from './fault-matrix-suite.ts';

describeFaultMatrix(false);
