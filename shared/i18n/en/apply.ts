/** English texts of apply, services and journal (error codes, steps, CLI). */
export const apply = {
  'error.SERVICE_COMMAND_FAILED': 'Could not control {service}: "{command}" failed ({reason}). {output}',
  'error.SERVICE_COMMAND_FAILED.fix': 'Run the same command by hand to see why, fix the cause (permissions, a broken configuration, a missing script), then apply again.',
  'error.SERVICE_STOP_TIMEOUT': '{service} did not stop within {seconds} s (processes still alive: {pids}; ports still answering: {ports}).',
  'error.SERVICE_STOP_TIMEOUT.fix': 'Find what keeps it running (another instance, a supervisor that restarts it) and stop it, then apply again.',
  'error.SERVICE_START_TIMEOUT': '{service} did not become ready within {seconds} s (ports not answering: {ports}; readiness URLs not answering: {urls}).',
  'error.SERVICE_START_TIMEOUT.fix': "Read the service's own log for the reason it did not start (a port in use, a certificate it cannot read).",
  'error.SERVICE_USER_UNKNOWN': 'The account "{user}" that should run the scripts does not exist on this machine.',
  'error.SERVICE_USER_UNKNOWN.fix': 'Correct the account in the plan (the owner of the install), or plan again.',
} as const;
