/** The English catalog, every module's texts in one object; its keys are the project's MessageKey. */
import { apache as enApache } from './apache.js';
import { apply as enApply } from './apply.js';
import { certs as enCerts } from './certs.js';
import { cliHelp as enCliHelp } from './cli-help.js';
import { detect as enDetect } from './detect.js';
import { common as enCommon } from './common.js';
import { finedb as enFinedb } from './finedb.js';
import { health as enHealth } from './health.js';
import { nginx as enNginx } from './nginx.js';
import { plan as enPlan } from './plan.js';
import { tomcat as enTomcat } from './tomcat.js';
import { wizard as enWizard } from './wizard.js';

// One catalog a line, in alphabetical order after common, so that modules adding theirs do not collide.
export const en = {
  ...enCommon,
  ...enApache,
  ...enApply,
  ...enCerts,
  ...enCliHelp,
  ...enDetect,
  ...enFinedb,
  ...enHealth,
  ...enNginx,
  ...enPlan,
  ...enTomcat,
  ...enWizard,
};

/**
 * Every key the English catalog has. `t()` takes only these, so an unknown
 * literal key is a compile error; a key built at run time (`error.${code}`,
 * `plan.note.${code}`) goes through `hasMessage()` (a type guard) or `tIfKnown()`.
 */
export type MessageKey = keyof typeof en;
