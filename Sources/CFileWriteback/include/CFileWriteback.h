#ifndef C_FILE_WRITEBACK_H
#define C_FILE_WRITEBACK_H

/// Starts writing `count` bytes of the file from `offset` to disk without waiting for them
/// (Linux's sync_file_range with SYNC_FILE_RANGE_WRITE, which Swift's Glibc module does not
/// export). Returns 0, or -1 with errno set; elsewhere it does nothing and returns 0.
int opendata_start_writeback(int descriptor, long long offset, long long count);

#endif
