// Who may open the control socket: the service's own user and the
// technicians' group, nobody else (mode 0660). The group is not given with
// chown: the unit's SystemCallFilter=~@privileged refuses every chown, so the
// group comes from the socket's folder instead. /run/cart-firmware is
// set-group-ID and belongs to the technicians' group (systemd/cart-firmware.tmpfiles),
// and a file made in such a folder takes the folder's group (Linux
// inode_init_owner, as for any file). Here the socket's group is only
// checked. Node has no getgrnam, so the group is looked up in /etc/group.
import { chmod, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
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
 * Opens the socket to its group, read-write for owner and group only, when
 * its group is the technicians'. Otherwise (no such group, or a folder that
 * does not hand its group on) the socket stays owner-only: closed to the
 * technicians rather than open to all, and the log says how to fix it.
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
  const socketGid = (await stat(path)).gid;
  if (socketGid !== gid) {
    await chmod(path, 0o600);
    log.error('control socket is not in the technicians\' group, so it is for the service user only: cart-cal cannot reach this cart. Its folder must be set-group-ID and belong to the group (systemd/cart-firmware.tmpfiles; chmod g+s, chgrp)',
      { group, gid, socketGid, folder: dirname(path) });
    return;
  }
  await chmod(path, 0o660);
}
