import { COMMON } from './common.js';
import { CASES } from './cases.js';
import { CUSTOMER } from './customer.js';
import { FLEET } from './fleet.js';
import { ORGS } from './orgs.js';
import { PARAMS } from './params.js';
import { PORTAL } from './portal.js';
import { RMA } from './rma.js';
import { SESSIONS } from './sessions.js';

/*
 * Every message the dashboard shows, one module per area, each keyed `<area>.…` and holding
 * both languages side by side. The test (test/dashboard-messages.test.ts) refuses a key defined
 * twice, a message missing a language, and languages that disagree on arguments.
 */
export const MESSAGE_MODULES = {
  common: COMMON,
  fleet: FLEET,
  params: PARAMS,
  sessions: SESSIONS,
  customer: CUSTOMER,
  rma: RMA,
  cases: CASES,
  portal: PORTAL,
  orgs: ORGS,
};

export const MESSAGES = { ...COMMON, ...FLEET, ...PARAMS, ...SESSIONS, ...CUSTOMER, ...RMA, ...CASES, ...PORTAL, ...ORGS };
