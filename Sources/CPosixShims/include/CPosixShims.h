// System calls the Swift standard library and Foundation do not expose: an atomic exchange of
// two directory entries, and a child process started in its own process group.
#ifndef XPERT_POSIX_SHIMS_H
#define XPERT_POSIX_SHIMS_H

#include <sys/types.h>

/// Atomically exchanges the directory entries `a` and `b` (Linux `renameat2` with
/// `RENAME_EXCHANGE`): at every moment each name refers to one of the two complete trees.
/// Returns 0, or -1 with errno set (ENOSYS or EINVAL where the system or file system lacks it).
int xpert_rename_exchange(const char *a, const char *b);

/// Starts `path` with `argv` (NULL-terminated) and the current environment in directory
/// `directory`, with standard input, output and error on the given descriptors, as the leader
/// of a new process group, with SIGINT, SIGTERM, SIGQUIT, SIGHUP and SIGPIPE at their default
/// actions and no signal blocked. Returns 0 and the child's pid, or an errno value.
int xpert_spawn(const char *path, char *const argv[], const char *directory,
                int stdin_fd, int stdout_fd, int stderr_fd, pid_t *pid);

/// A pipe whose two ends are closed on exec; the end `nonblocking_end` (0: read, 1: write)
/// does not block. Returns 0, or -1 with errno set.
int xpert_pipe(int fds[2], int nonblocking_end);

/// Whether child `pid` has ended, without reaping it (so that its process group id cannot be
/// reused while the group is being killed): 1 ended, 0 running, -1 error.
int xpert_child_ended(pid_t pid);

/// Reaps child `pid` (blocking): 0 with `*exit_code` set when it exited, or with `*signal`
/// set (and `*exit_code` -1) when a signal ended it, and `*peak_kb` its peak resident memory
/// in KiB; -1 with errno on error.
int xpert_reap(pid_t pid, int *exit_code, int *signal, long *peak_kb);

/// `write`, but a reader that has gone away makes it fail with EPIPE instead of raising
/// SIGPIPE, which would end the whole process: SIGPIPE is blocked for the calling thread during
/// the write, and one it raised is consumed before the mask is restored.
ssize_t xpert_write_nosigpipe(int fd, const void *buffer, size_t count);

#endif
