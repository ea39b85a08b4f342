#ifndef C_FILE_WRITEBACK_H
#define C_FILE_WRITEBACK_H

/// Starts writing `count` bytes of the file from `offset` to disk without waiting for them
/// (Linux's sync_file_range with SYNC_FILE_RANGE_WRITE, which Swift's Glibc module does not
/// export). Returns 0, or -1 with errno set; elsewhere it does nothing and returns 0.
int opendata_start_writeback(int descriptor, long long offset, long long count);

/// Waits until `count` bytes of the file from `offset` are on disk (sync_file_range with
/// WAIT_BEFORE, WRITE and WAIT_AFTER), then tells the kernel their cached pages will not be
/// needed (posix_fadvise POSIX_FADV_DONTNEED), so it can reuse them for the rest of the file.
/// Returns 0, or -1 with errno set when the wait fails (a write error of those bytes is
/// reported here, and then no longer by a later fsync); elsewhere it does nothing and returns 0.
int opendata_release_written(int descriptor, long long offset, long long count);

#endif
