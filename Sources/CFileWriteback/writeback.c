#define _GNU_SOURCE
#include <fcntl.h>

#include "CFileWriteback.h"

#ifdef __linux__

int opendata_start_writeback(int descriptor, long long offset, long long count) {
    return sync_file_range(descriptor, (off_t)offset, (off_t)count, SYNC_FILE_RANGE_WRITE);
}

int opendata_release_written(int descriptor, long long offset, long long count) {
    int flags = SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER;
    if (sync_file_range(descriptor, (off_t)offset, (off_t)count, flags) != 0) {
        return -1;
    }
    // Only a hint: its failure loses nothing.
    (void)posix_fadvise(descriptor, (off_t)offset, (off_t)count, POSIX_FADV_DONTNEED);
    return 0;
}

#else

int opendata_start_writeback(int descriptor, long long offset, long long count) {
    (void)descriptor;
    (void)offset;
    (void)count;
    return 0;
}

int opendata_release_written(int descriptor, long long offset, long long count) {
    return opendata_start_writeback(descriptor, offset, count);
}

#endif
