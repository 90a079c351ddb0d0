import type { DetectedProduct, DetectOutput, RunsAs } from '../../../../../shared/contract/detect.js';
import type { Target } from '../../state.js';

/** What detection found, as the target fields (only fields the admin left empty are filled). */
export function prefillTarget(current: Target, found: DetectOutput): Target {
  const product = found.products.find((p) => !p.desktopEdition) ?? null;
  const tomcat = found.tomcats.find((t) => t.base === product?.tomcatBase) ?? found.tomcats[0] ?? null;
  const nginx = found.nginx.find((n) => n.conf !== null) ?? null;
  const apache = found.apache.find((a) => a.conf !== null) ?? null;
  const keep = (value: string, detected: string | null | undefined) => (value !== '' ? value : (detected ?? ''));
  return {
    install: keep(current.install, product?.dir),
    nginxConf: keep(current.nginxConf, nginx?.conf),
    nginxBin: keep(current.nginxBin, nginx?.binary),
    catalinaBase: keep(current.catalinaBase, tomcat?.base),
    catalinaHome: keep(current.catalinaHome, tomcat?.home),
    apacheConf: keep(current.apacheConf, apache?.conf),
  };
}

/** The admin picked one of the installs found: it and its Tomcat become the target (web server fields stay). */
export function targetOfProduct(current: Target, found: DetectOutput, product: DetectedProduct): Target {
  const tomcat = found.tomcats.find((t) => t.base === product.tomcatBase) ?? null;
  return { ...current, install: product.dir, catalinaBase: tomcat?.base ?? product.tomcatBase ?? '', catalinaHome: tomcat?.home ?? '' };
}

/** How a thing runs, in a few words (unit, script, service, pid). */
export function runsText(runs: readonly RunsAs[]): string {
  return runs
    .map((r) => {
      switch (r.kind) {
        case 'systemd':
          return `systemd ${r.unit}`;
        case 'sysv':
          return `SysV ${r.script}`;
        case 'windows':
          return `Windows service ${r.name}`;
        case 'process':
          return `pid ${r.pid}`;
        default:
          return '';
      }
    })
    .filter((s) => s !== '')
    .join(', ');
}
