// Who may open the control socket: the service's own user and the
// technicians' group, nobody else (mode 0660, group from the config). Node
// has no getgrnam, so the group is looked up in /etc/group.
import { chmod, chown, readFile } from 'node:fs/promises';
import type { Logger } from '../log.js';

/** The gid of `group` in the text of /etc/group (name:password:gid:members), or null. */
export function gidOf(groupFile: string, group: string): number | null {
  for (const line of groupFile.split('\n')) {
    const [name, , gid] = line.split(':');
    if (name === group && gid !== undefined && /^\d+$/.test(gid)) return Number(gid);
  }
  return null;
}

/**
 * Gives the socket to the group, read-write for owner and group only. When
 * that cannot be done (no such group, or the service is not in it), the
 * socket stays owner-only: closed to the technicians rather than open to all.
 */
export async function restrictToGroup(path: string, group: string, log: Logger, groupFilePath = '/etc/group'): Promise<void> {
  let gid: number | null = null;
  try {
    gid = gidOf(await readFile(groupFilePath, 'utf8'), group);
  } catch (err) {
    log.error('cannot read the group list; the control socket is for the service user only', { path: groupFilePath, error: (err as Error).message });
  }
  if (gid === null) {
    await chmod(path, 0o600);
    log.error('technicians\' group not found; the control socket is for the service user only', { group });
    return;
  }
  try {
    await chown(path, -1, gid);
    await chmod(path, 0o660);
  } catch (err) {
    await chmod(path, 0o600);
    log.error('cannot give the control socket to the technicians\' group (is the service in it?); it is for the service user only', { group, error: (err as Error).message });
  }
}
