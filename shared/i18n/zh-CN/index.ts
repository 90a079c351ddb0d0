import type { MessageKey } from '../en/index.js';
import { apply as zhApply } from './apply.js';
import { certs as zhCerts } from './certs.js';
import { cliHelp as zhCliHelp } from './cli-help.js';
import { detect as zhDetect } from './detect.js';
import { common as zhCommon } from './common.js';
import { finedb as zhFinedb } from './finedb.js';
import { health as zhHealth } from './health.js';
import { nginx as zhNginx } from './nginx.js';
import { plan as zhPlan } from './plan.js';
import { apache as zhApache } from './apache.js';
import { tomcat as zhTomcat } from './tomcat.js';
import { wizard as zhWizard } from './wizard.js';

/**
 * The Simplified Chinese catalog: every English key must be here (a compile error otherwise).
 * Loaded on demand (`loadLanguage('zh-CN')`), so an English run of the CLI does not parse it.
 */
// One catalog a line, in alphabetical order after common, so that modules adding theirs do not collide.
export const zhCN: Readonly<Record<MessageKey, string>> = {
  ...zhCommon,
  ...zhApache,
  ...zhApply,
  ...zhCerts,
  ...zhCliHelp,
  ...zhDetect,
  ...zhFinedb,
  ...zhHealth,
  ...zhNginx,
  ...zhPlan,
  ...zhTomcat,
  ...zhWizard,
};
