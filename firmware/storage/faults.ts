// What a storage error means. SQLite says which kind of trouble it met
// (better-sqlite3 puts SQLite's extended result code, by name, in `code`:
// SQLITE_FULL, SQLITE_READONLY_DBMOVED, SQLITE_IOERR_WRITE ...; Node's own
// file calls put the errno name there: ENOSPC, EROFS ...). Only corruption is
// a reason to give up a database file; every other kind is the machine's
// trouble, and the file is kept for when it is fixed.

export type StorageFault = 'corrupt' | 'full' | 'read-only' | 'locked' | 'io';

const byCode: [RegExp, StorageFault][] = [
  // https://www.sqlite.org/rescode.html: SQLITE_CORRUPT (11, with _VTAB, _SEQUENCE, _INDEX), SQLITE_NOTADB (26).
  [/^SQLITE_(CORRUPT|NOTADB)/, 'corrupt'],
  [/^SQLITE_FULL$|^ENOSPC$|^EDQUOT$|^EFBIG$/, 'full'],
  [/^SQLITE_READONLY|^EROFS$|^EACCES$|^EPERM$/, 'read-only'],
  [/^SQLITE_(BUSY|LOCKED)/, 'locked'],
  [/^SQLITE_(IOERR|CANTOPEN|PROTOCOL|NOLFS)|^EIO$/, 'io'],
];

/** The kind of storage trouble an error reports; null when it is not one (a bug, a schema from newer firmware). */
export function storageFaultOf(err: unknown): StorageFault | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  return byCode.find(([re]) => re.test(code))?.[1] ?? null;
}

/** What each kind means, in words for the log and health. */
export const faultMeaning: Record<StorageFault, string> = {
  corrupt: 'the database file is damaged',
  full: 'the disk is full',
  'read-only': 'the file system is read-only (or the database is not writable by the service)',
  locked: 'another process holds the database locked',
  io: 'the storage device failed to read or write (a failing SD card, or a loose disk)',
};

/**
 * The database cannot be used now, for a reason that is not the file's
 * fault: nothing was moved or deleted, and the cart cannot start until the
 * machine is put right.
 */
export class StorageUnavailableError extends Error {
  constructor(readonly fault: Exclude<StorageFault, 'corrupt'>, readonly path: string, readonly sqliteError: string) {
    super(`${faultMeaning[fault]} (${path}: ${sqliteError})`);
    this.name = 'StorageUnavailableError';
  }
}

/**
 * The exit code for a StorageUnavailableError: EX_TEMPFAIL (sysexits.h), "try
 * again later". systemd/cart-firmware.service restarts on any failure except
 * 78 (RestartPreventExitStatus), so a start that failed for lack of space is
 * tried again, and once space is freed the cart starts with its basket.
 */
export const storageUnavailableExitCode = 75;
