/*
 * crucible-launch: the first program Crucible starts in an evaluation container, as its PID 1 (in
 * place of docker's init). It runs the evaluation's command with its stdin read from a file, and forwards the
 * program's stdout and stderr as tagged frames on ONE stream (its own stdout), in the order it
 * reads them. Docker carries stdout and stderr as two streams whose relative order is lost when a
 * program writes fast; one stream keeps it, so the platform can show the combined output as a
 * terminal would and still tell stdout from stderr.
 *
 *   usage: crucible-launch [--wait] [--as UID:GID] [--collect DIR MAX_FILES MAX_BYTES] [--timeout MS]
 *                          [--cases DIR COUNT TIMEOUT_MS OUTPUT_LIMIT] STDIN_FILE COMMAND [ARGUMENT...]
 *
 * Frame: 1 byte stream (1 = stdout, 2 = stderr), 4 bytes big-endian length (at most 65536), data.
 * Last, once the program has been waited for, one usage frame: stream 3, length 16, the CPU time
 * (user + system) of the program and every descendant that was waited for, in microseconds, and
 * the largest resident size among them in KiB, each 8 bytes big-endian (getrusage's
 * RUSAGE_CHILDREN: as PID 1 the launcher reaps every orphan, so nothing escapes the count).
 *
 * With --collect, once the program has ended, every process it left behind is killed and the
 * regular files under DIR (its subfolders too, never following a link) are sent back, each as a
 * file frame (stream 4: 1 byte flags, 1 = executable, then its path relative to DIR) followed by
 * data frames (stream 5) holding its bytes; notes on what was left out (links, special files, names
 * with control characters, files past MAX_FILES or MAX_BYTES in all) come as note frames (stream 6,
 * text). The platform thus gets the files without ever reading the container's filesystem, and the
 * program cannot point it anywhere outside DIR.
 * In a plain run (no --cases), a run time frame comes before the usage frame: stream 9, length 8,
 * the program's wall time from its fork to its exit in microseconds (the daemon's start and
 * finish times can be out of order for a short program on a busy host).
 * Last of all comes the trailer (stream 10, length 9): the program's wait status (4 bytes), flags (1
 * byte: 1 = killed at its time limit) and, when it was, how many processes the container held at
 * that moment (4 bytes), so that the platform knows how the run ended without asking the daemon.
 *
 * --timeout MS: a plain run is killed MS milliseconds after the program's start (its whole
 * process group, and as PID 1 every process of the container), so the limit counts from the
 * program, not from the container.
 *
 * --as UID:GID: the launcher runs as root (of a guest kernel: gVisor) with no capability but
 * SETUID, SETGID and KILL, and the program as UID:GID. gVisor (20221219) lets a process open the
 * descriptors of a non-dumpable process of its own user through /proc/PID/fd, so there the program
 * must be another user than the launcher: it then cannot reach the stream the platform reads.
 * The launcher becomes UID:GID itself once the program and everything it started are gone.
 *
 * --wait: the container was started ahead of time (a pooled container) and the program does not
 * exist yet. The launcher reads its delivery from its own stdin (the attached stream), as records
 * of 1 byte type and 4 bytes big-endian length: type 1 one argument of the command line that
 * follows (options, STDIN_FILE, COMMAND...), type 2 one file (1 byte flags, 1 = executable;
 * 2 bytes path length; the absolute path, under /code/ or /build/; then its bytes), type 3 go.
 * Then it runs as if started with those arguments.
 * Exit status: the program's, or 128 + signal when a signal ended it (as a shell reports it);
 * 125 when the launcher itself failed, 126/127 when the command could not be run.
 *
 * No shell is involved: the command is exec'd as the argument vector it was given.
 * Built static, so it runs in any image (see pom.xml).
 *
 * Why PID 1: the stream the platform reads is PID 1's stdout. Docker's init runs as the program's
 * user and is dumpable, so a program could open /proc/1/fd/1 and write frames of its own behind
 * the launcher (forged stderr, say). This process is not dumpable (its /proc entries belong to
 * root), so nothing can reach its descriptors. As PID 1 it also does init's work: it reaps every
 * orphan that is re-parented to it, and passes the signals it gets on to the program. When it
 * exits, the kernel kills whatever is left in the container.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 65536
/* After the program has exited, what it left in the pipes is forwarded for at most this long:
   a background process it started could otherwise keep the launcher alive by writing on. */
#define DRAIN_MILLIS 500

static int child_exit_w = -1;
/* --as UID:GID: the program's user, when the launcher runs as another (gVisor: see the top) */
static long as_uid = -1;
static long as_gid = -1;

/* Becomes the program's user for good (nothing to do without --as); -1 when that failed. */
static int become_program_user(void) {
    if (as_uid < 0) {
        return 0;
    }
    if (setgroups(0, NULL) < 0 || setgid((gid_t) as_gid) < 0 || setuid((uid_t) as_uid) < 0) {
        return -1;
    }
    return getuid() == (uid_t) as_uid && geteuid() == (uid_t) as_uid && getgid() == (gid_t) as_gid ? 0 : -1;
}
static volatile pid_t child_pid = -1;

/* A signal for the container (docker stop sends SIGTERM to PID 1) is meant for the program. */
static void on_forwarded(int sig) {
    if (child_pid > 0) {
        kill(child_pid, sig);
    }
}

static void fail(const char *what) {
    fprintf(stderr, "crucible-launch: %s: %s\n", what, strerror(errno));
    _exit(125);
}

static void on_sigchld(int sig) {
    (void) sig;
    int saved = errno;
    ssize_t ignored = write(child_exit_w, "x", 1);
    (void) ignored;
    errno = saved;
}

static int write_all(int fd, const unsigned char *data, size_t length) {
    while (length > 0) {
        ssize_t n = write(fd, data, length);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        data += n;
        length -= (size_t) n;
    }
    return 0;
}

static unsigned char frame[5 + CHUNK];

/* Reads one chunk from fd and forwards it as a frame; returns bytes read, 0 at EOF, -1 if nothing now. */
static ssize_t forward(int fd, unsigned char stream) {
    ssize_t n;
    do {
        n = read(fd, frame + 5, CHUNK);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        return (errno == EAGAIN || errno == EWOULDBLOCK) ? -1 : 0;
    }
    if (n > 0) {
        frame[0] = stream;
        frame[1] = (unsigned char) (n >> 24);
        frame[2] = (unsigned char) (n >> 16);
        frame[3] = (unsigned char) (n >> 8);
        frame[4] = (unsigned char) n;
        if (write_all(STDOUT_FILENO, frame, 5 + (size_t) n) < 0) {
            /* nobody reads any more (the platform stopped listening): nothing left to do */
            _exit(125);
        }
    }
    return n;
}

static long now_millis(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

static void drain(int fd, unsigned char stream, long deadline) {
    if (fd < 0) {
        return;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
        return; /* a pipe that cannot be made non-blocking could hold the launcher forever */
    }
    while (now_millis() < deadline && forward(fd, stream) > 0) {
    }
}

/* The usage frame (see the top): what the program and its waited-for descendants used. */
static void send_usage(void) {
    struct rusage usage;
    if (getrusage(RUSAGE_CHILDREN, &usage) != 0) {
        return;
    }
    uint64_t cpu = (uint64_t) usage.ru_utime.tv_sec * 1000000u + (uint64_t) usage.ru_utime.tv_usec
            + (uint64_t) usage.ru_stime.tv_sec * 1000000u + (uint64_t) usage.ru_stime.tv_usec;
    uint64_t rss = (uint64_t) usage.ru_maxrss;
    unsigned char f[5 + 16] = {3, 0, 0, 0, 16};
    for (int i = 0; i < 8; i++) {
        f[5 + i] = (unsigned char) (cpu >> (56 - 8 * i));
        f[13 + i] = (unsigned char) (rss >> (56 - 8 * i));
    }
    write_all(STDOUT_FILENO, f, sizeof f);
}

/* --collect (see the top) */
#define FILE_FRAME 4
#define DATA_FRAME 5
#define NOTE_FRAME 6
#define MAX_DEPTH 16
#define MAX_NAME 4000

static long collect_max_files;
static long collect_files_left;
static long long collect_bytes_left;
static int collect_full; /* the file count is used up: one note said so, the rest is skipped */

static void send_frame(unsigned char stream, const void *data, size_t length) {
    unsigned char head[5] = {stream, (unsigned char) (length >> 24), (unsigned char) (length >> 16),
                             (unsigned char) (length >> 8), (unsigned char) length};
    if (write_all(STDOUT_FILENO, head, 5) < 0 || write_all(STDOUT_FILENO, data, length) < 0) {
        _exit(125);
    }
}

__attribute__((format(printf, 1, 2))) static void note(const char *format, ...) {
    char text[MAX_NAME + 256];
    va_list arguments;
    va_start(arguments, format);
    int n = vsnprintf(text, sizeof text, format, arguments);
    va_end(arguments);
    if (n > 0) {
        send_frame(NOTE_FRAME, text, (size_t) n < sizeof text ? (size_t) n : sizeof text - 1);
    }
}

/* A name the platform can show and store: printable, not a control character (UTF-8 passes). */
static int plain_name(const char *name) {
    for (const unsigned char *c = (const unsigned char *) name; *c; c++) {
        if (*c < 0x20 || *c == 0x7f) {
            return 0;
        }
    }
    return 1;
}

static void send_file(int dir, const char *name, const char *path, const struct stat *seen) {
    if (collect_files_left <= 0) {
        if (!collect_full) {
            note("%s and the files after it were not collected: at most %ld files are", path, collect_max_files);
            collect_full = 1;
        }
        return;
    }
    if (seen->st_size > collect_bytes_left) {
        note("%s was not collected: its %lld bytes are more than what is left of the size cap", path,
             (long long) seen->st_size);
        return;
    }
    int fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat opened;
    if (fd < 0 || fstat(fd, &opened) < 0 || !S_ISREG(opened.st_mode)) {
        note("%s was not collected: it could not be opened as a regular file", path);
        if (fd >= 0) {
            close(fd);
        }
        return;
    }
    collect_files_left--;
    size_t path_length = strlen(path);
    frame[0] = (opened.st_mode & 0111) ? 1 : 0;
    memcpy(frame + 1, path, path_length);
    send_frame(FILE_FRAME, frame, path_length + 1);
    ssize_t n;
    while (collect_bytes_left > 0) {
        size_t want = collect_bytes_left < CHUNK ? (size_t) collect_bytes_left : CHUNK;
        do {
            n = read(fd, frame, want);
        } while (n < 0 && errno == EINTR);
        if (n <= 0) {
            break;
        }
        send_frame(DATA_FRAME, frame, (size_t) n);
        collect_bytes_left -= n;
    }
    close(fd);
}

static void collect(int dir, const char *prefix, int depth) {
    DIR *listing = fdopendir(dir);
    if (listing == NULL) {
        close(dir);
        return;
    }
    struct dirent *entry;
    while ((entry = readdir(listing)) != NULL) {
        const char *name = entry->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
            continue;
        }
        char path[MAX_NAME + 1];
        int length = snprintf(path, sizeof path, "%s%s", prefix, name);
        if (length < 0 || length >= MAX_NAME) {
            note("a file under %s was not collected: its path is longer than %d bytes", prefix[0] ? prefix : "/", MAX_NAME);
            continue;
        }
        if (!plain_name(name)) {
            note("a file under %s was not collected: its name has control characters", prefix[0] ? prefix : "/");
            continue;
        }
        struct stat seen;
        if (fstatat(dirfd(listing), name, &seen, AT_SYMLINK_NOFOLLOW) < 0) {
            continue;
        }
        if (S_ISREG(seen.st_mode)) {
            send_file(dirfd(listing), name, path, &seen);
        } else if (S_ISDIR(seen.st_mode)) {
            if (depth >= MAX_DEPTH) {
                note("%s was not collected: folders nest at most %d deep", path, MAX_DEPTH);
                continue;
            }
            int sub = openat(dirfd(listing), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub >= 0) {
                path[length] = '/';
                path[length + 1] = '\0';
                collect(sub, path, depth + 1);
            }
        } else if (S_ISLNK(seen.st_mode)) {
            note("%s was not collected: it is a symbolic link, and links are not followed", path);
        } else {
            note("%s was not collected: it is not a regular file", path);
        }
    }
    closedir(listing);
}

/* Ends whatever the program left running (so nothing changes the files while they are read), then
   sends the files. As PID 1, kill(-1) reaches every other process of the container (and only
   them: the container is its own PID namespace). */
static void collect_files(const char *dir_path, long max_files, long long max_bytes) {
    if (getpid() == 1) {
        /* only where this process is the container's init: anywhere else -1 means the whole host */
        kill(-1, SIGKILL);
        while (waitpid(-1, NULL, 0) > 0 || errno == EINTR) {
        }
    }
    /* nothing of the program runs any more: read its files as its own user (root without
       CAP_DAC_READ_SEARCH could not read a file the program made private) */
    if (become_program_user() < 0) {
        note("%s could not be read: the launcher could not become the program's user", dir_path);
        return;
    }
    collect_max_files = max_files;
    collect_files_left = max_files;
    collect_bytes_left = max_bytes;
    int dir = open(dir_path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dir < 0) {
        note("%s could not be read: nothing was collected", dir_path);
        return;
    }
    collect(dir, "", 0);
}

/* One run of the program (the whole evaluation, or one test case). */
struct run {
    int status;          /* as wait4 reports it; 125 << 8 when the launcher failed */
    int timed_out;       /* killed at its time limit (test cases only) */
    int output_limited;  /* killed at its output limit (test cases only) */
    int processes;       /* processes in the container when the time limit was hit (as PID 1) */
    long long runtime_us;
    struct rusage usage; /* of the program and its waited-for descendants */
};

static int exited_r = -1;

static long long micros(const struct timeval *t) {
    return (long long) t->tv_sec * 1000000LL + t->tv_usec;
}

static long long now_micros(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long) t.tv_sec * 1000000LL + t.tv_nsec / 1000;
}

/* How many processes the container holds (as PID 1, /proc lists exactly the container's). */
static int count_processes(void) {
    if (getpid() != 1) {
        return 0;
    }
    DIR *proc = opendir("/proc");
    if (proc == NULL) {
        return 0;
    }
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(proc)) != NULL) {
        if (entry->d_name[0] >= '1' && entry->d_name[0] <= '9') {
            count++;
        }
    }
    closedir(proc);
    return count;
}

/*
 * Runs COMMAND with stdin from STDIN_PATH, forwarding its output as frames. With a timeout or an
 * output limit (test cases), the program runs in a process group of its own, which is killed
 * when either is passed. Returns -1 when the program could not be started at all.
 */
static int run_program(char **command, const char *stdin_path, long timeout_ms, long long output_limit, struct run *r) {
    memset(r, 0, sizeof *r);
    r->status = 125 << 8;
    int own_group = timeout_ms > 0 || output_limit > 0;
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
        fprintf(stderr, "crucible-launch: pipe: %s\n", strerror(errno));
        return -1;
    }
    long long started = now_micros();
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "crucible-launch: fork: %s\n", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        signal(SIGCHLD, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        if (own_group) {
            setpgid(0, 0);
        }
        if (dup2(err[1], STDERR_FILENO) < 0) {
            _exit(125); /* nowhere left to say why */
        }
        if (become_program_user() < 0) {
            fprintf(stderr, "crucible-launch: cannot become the program's user: %s\n", strerror(errno));
            _exit(125);
        }
        int in = open(stdin_path, O_RDONLY);
        if (in < 0) {
            fprintf(stderr, "crucible-launch: cannot open %s: %s\n", stdin_path, strerror(errno));
            _exit(125);
        }
        if (dup2(in, STDIN_FILENO) < 0) {
            fail("dup2(stdin)");
        }
        if (dup2(out[1], STDOUT_FILENO) < 0) {
            fail("dup2(stdout)");
        }
        if (in > STDERR_FILENO) {
            close(in);
        }
        execvp(command[0], command);
        int failure = errno;
        fprintf(stderr, "crucible-launch: cannot run %s: %s\n", command[0], strerror(failure));
        _exit(failure == ENOENT ? 127 : 126);
    }
    if (own_group) {
        setpgid(pid, pid); /* also here: whichever runs first, the group exists before a kill */
    }
    close(out[1]);
    close(err[1]);
    child_pid = pid;

    struct pollfd fds[3] = {
        {.fd = out[0], .events = POLLIN},
        {.fd = err[0], .events = POLLIN},
        {.fd = exited_r, .events = POLLIN},
    };
    long long forwarded[2] = {0, 0};
    long deadline = timeout_ms > 0 ? now_millis() + timeout_ms : -1;
    int child_done = 0;
    int killed = 0;
    while ((fds[0].fd >= 0 || fds[1].fd >= 0) && !child_done) {
        int wait_ms = -1;
        if (deadline >= 0 && !killed) {
            long left = deadline - now_millis();
            wait_ms = left > 0 ? (int) left : 0;
        }
        int ready = poll(fds, 3, wait_ms);
        if (ready < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        if (ready == 0 && deadline >= 0 && !killed && now_millis() >= deadline) {
            r->timed_out = 1;
            r->runtime_us = now_micros() - started;
            r->processes = count_processes();
            kill(-pid, SIGKILL);
            killed = 1;
            continue;
        }
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP | POLLERR))) {
                ssize_t n = forward(fds[i].fd, (unsigned char) (i + 1));
                if (n == 0) {
                    close(fds[i].fd);
                    fds[i].fd = -1;
                } else if (n > 0) {
                    forwarded[i] += n;
                    if (output_limit > 0 && forwarded[i] > output_limit && !killed) {
                        r->output_limited = 1;
                        kill(-pid, SIGKILL);
                        killed = 1;
                    }
                }
            }
        }
        if (fds[2].revents & POLLIN) {
            char sink[64];
            while (read(exited_r, sink, sizeof sink) > 0) {
            }
            /* as PID 1, every orphan of the program ends up here: reap them all */
            pid_t reaped;
            int reaped_status;
            struct rusage reaped_usage;
            while ((reaped = wait4(-1, &reaped_status, WNOHANG, &reaped_usage)) > 0) {
                if (reaped == pid) {
                    r->status = reaped_status;
                    r->usage = reaped_usage;
                    if (!r->timed_out) {
                        r->runtime_us = now_micros() - started;
                    }
                    child_done = 1;
                }
            }
        }
    }
    /* The program has ended (or closed both streams): forward what it left in the pipes. Background
       processes it started may still hold them open; they are not waited for. */
    long drain_until = now_millis() + DRAIN_MILLIS;
    drain(fds[0].fd, 1, drain_until);
    drain(fds[1].fd, 2, drain_until);
    for (int i = 0; i < 2; i++) {
        if (fds[i].fd >= 0) {
            close(fds[i].fd);
        }
    }
    if (!child_done) {
        if (deadline >= 0 && !killed) {
            /* both streams closed early: the time limit still holds while it is waited for */
            long left = deadline - now_millis();
            while (left > 0 && wait4(pid, &r->status, WNOHANG, &r->usage) == 0) {
                struct timespec pause = {0, 10 * 1000000L};
                nanosleep(&pause, NULL);
                left = deadline - now_millis();
            }
            if (left <= 0) {
                r->timed_out = 1;
                r->runtime_us = now_micros() - started;
                r->processes = count_processes();
                kill(-pid, SIGKILL);
            } else {
                r->runtime_us = now_micros() - started;
                child_pid = -1;
                return 0;
            }
        }
        pid_t waited;
        while ((waited = wait4(pid, &r->status, 0, &r->usage)) < 0 && errno == EINTR) {
        }
        if (waited != pid) {
            fprintf(stderr, "crucible-launch: waitpid: %s\n", strerror(errno));
            return -1;
        }
        if (!r->timed_out) {
            r->runtime_us = now_micros() - started;
        }
    }
    child_pid = -1;
    return 0;
}

/* The leftovers of a test case (background processes it started) do not live into the next one. */
static void end_leftovers(void) {
    if (getpid() != 1) {
        return;
    }
    kill(-1, SIGKILL);
    while (waitpid(-1, NULL, 0) > 0 || errno == EINTR) {
    }
}

#define CASE_START 7
#define CASE_END 8
#define MAX_CASE_ARGS 64
#define MAX_CASE_ARGS_BYTES (MAX_CASE_ARGS * 4096 + MAX_CASE_ARGS)

static void put64(unsigned char *at, uint64_t value) {
    for (int i = 0; i < 8; i++) {
        at[i] = (unsigned char) (value >> (56 - 8 * i));
    }
}

static void put32(unsigned char *at, uint32_t value) {
    for (int i = 0; i < 4; i++) {
        at[i] = (unsigned char) (value >> (24 - 8 * i));
    }
}

static long long children_cpu_micros(void) {
    struct rusage usage;
    if (getrusage(RUSAGE_CHILDREN, &usage) != 0) {
        return 0;
    }
    return micros(&usage.ru_utime) + micros(&usage.ru_stime);
}

/*
 * --cases DIR COUNT TIMEOUT_MS OUTPUT_LIMIT: the program runs once per test case i (0-based), with
 * its stdin from DIR/i/stdin and, after COMMAND, the arguments in DIR/i/args (each ended by a NUL),
 * each within TIMEOUT_MS and OUTPUT_LIMIT bytes per stream. A case start frame (stream 7: the
 * index, 4 bytes) comes before its output, a case end frame (stream 8: index 4, wait status 4,
 * flags 1 (1 timed out, 2 output limit), run time in microseconds 8, CPU microseconds 8, peak
 * resident KiB 8) after it. A case that crashes or times out does not stop the others.
 */
static void run_cases(const char *dir, long count, long timeout_ms, long long output_limit, char **command, int command_length) {
    static char args_bytes[MAX_CASE_ARGS_BYTES + 1];
    char *vector[1024 + MAX_CASE_ARGS + 1];
    if (command_length > 1024) {
        command_length = 1024;
    }
    for (long index = 0; index < count; index++) {
        char stdin_path[4096], args_path[4096];
        snprintf(stdin_path, sizeof stdin_path, "%s/%ld/stdin", dir, index);
        snprintf(args_path, sizeof args_path, "%s/%ld/args", dir, index);
        int n = 0;
        for (; n < command_length; n++) {
            vector[n] = command[n];
        }
        int fd = open(args_path, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            ssize_t length = 0, got;
            while (length < MAX_CASE_ARGS_BYTES
                   && (got = read(fd, args_bytes + length, MAX_CASE_ARGS_BYTES - length)) > 0) {
                length += got;
            }
            close(fd);
            args_bytes[length] = '\0';
            for (ssize_t at = 0; at < length && n < command_length + MAX_CASE_ARGS; ) {
                vector[n++] = args_bytes + at;
                at += (ssize_t) strlen(args_bytes + at) + 1;
            }
        }
        vector[n] = NULL;

        unsigned char start[4];
        put32(start, (uint32_t) index);
        send_frame(CASE_START, start, sizeof start);
        long long cpu_before = children_cpu_micros();
        struct run r;
        if (run_program(vector, stdin_path, timeout_ms, output_limit, &r) < 0) {
            r.status = 125 << 8;
        }
        end_leftovers();
        long long cpu = children_cpu_micros() - cpu_before;
        unsigned char end[33];
        put32(end, (uint32_t) index);
        put32(end + 4, (uint32_t) r.status);
        end[8] = (unsigned char) ((r.timed_out ? 1 : 0) | (r.output_limited ? 2 : 0));
        put64(end + 9, (uint64_t) r.runtime_us);
        put64(end + 17, (uint64_t) (cpu < 0 ? 0 : cpu));
        put64(end + 25, (uint64_t) r.usage.ru_maxrss);
        send_frame(CASE_END, end, sizeof end);
    }
}

/* --wait (see the top): the delivery of a pooled container's program. */
#define DELIVER_ARG 1
#define DELIVER_FILE 2
#define DELIVER_GO 3
#define MAX_DELIVERED_ARGS 4096
#define MAX_ARG_BYTES (1 << 20)

static void refuse(const char *why) {
    fprintf(stderr, "crucible-launch: bad delivery: %s\n", why);
    _exit(125);
}

static void read_exact(void *into, size_t length) {
    unsigned char *at = into;
    while (length > 0) {
        ssize_t n = read(STDIN_FILENO, at, length);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            refuse("it ended early");
        }
        at += n;
        length -= (size_t) n;
    }
}

/* A delivered file may only land under /code/ or /build/, by a plain path (no "." or ".." parts). */
static int allowed_path(const char *path) {
    if (strncmp(path, "/code/", 6) != 0 && strncmp(path, "/build/", 7) != 0) {
        return 0;
    }
    const char *part = path + 1;
    while (*part) {
        const char *end = strchr(part, '/');
        size_t length = end ? (size_t) (end - part) : strlen(part);
        if (length == 0 || (length == 1 && part[0] == '.') || (length == 2 && part[0] == '.' && part[1] == '.')) {
            return 0;
        }
        part += length + (end ? 1 : 0);
        if (end && !*part) {
            return 0;
        }
    }
    return plain_name(path);
}

static void receive_file(uint32_t length) {
    unsigned char head[3];
    if (length < sizeof head) {
        refuse("a file record too short");
    }
    read_exact(head, sizeof head);
    size_t path_length = ((size_t) head[1] << 8) | head[2];
    if (path_length == 0 || path_length > MAX_NAME || path_length > length - sizeof head) {
        refuse("a file's path is too long");
    }
    char path[MAX_NAME + 1];
    read_exact(path, path_length);
    path[path_length] = '\0';
    if (!allowed_path(path)) {
        refuse("a file outside /code and /build");
    }
    for (char *slash = strchr(path + 1, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        if (mkdir(path, 0755) < 0 && errno != EEXIST) {
            fail("mkdir");
        }
        *slash = '/';
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, (head[0] & 1) ? 0555 : 0444);
    if (fd < 0) {
        fail(path);
    }
    size_t left = length - sizeof head - path_length;
    while (left > 0) {
        size_t n = left < CHUNK ? left : CHUNK;
        read_exact(frame, n);
        if (write_all(fd, frame, n) < 0) {
            fail(path);
        }
        left -= n;
    }
    close(fd);
}

/* Reads the delivery; returns the argument vector it carries (argv[0] first). */
static char **receive(int *count) {
    static char *args[MAX_DELIVERED_ARGS + 2];
    int n = 0;
    args[n++] = "crucible-launch";
    for (;;) {
        unsigned char head[5];
        read_exact(head, sizeof head);
        uint32_t length = ((uint32_t) head[1] << 24) | ((uint32_t) head[2] << 16) | ((uint32_t) head[3] << 8) | head[4];
        if (head[0] == DELIVER_ARG) {
            if (length > MAX_ARG_BYTES || n > MAX_DELIVERED_ARGS) {
                refuse("too many or too long arguments");
            }
            char *arg = malloc(length + 1);
            if (arg == NULL) {
                fail("malloc");
            }
            read_exact(arg, length);
            arg[length] = '\0';
            args[n++] = arg;
        } else if (head[0] == DELIVER_FILE) {
            receive_file(length);
        } else if (head[0] == DELIVER_GO && length == 0) {
            args[n] = NULL;
            *count = n;
            /* the attached stream is the platform's: nothing the program starts may read it */
            int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
            if (null >= 0) {
                dup2(null, STDIN_FILENO);
                close(null);
            }
            return args;
        } else {
            refuse("an unknown record");
        }
    }
}

int main(int argc, char **argv) {
    const char *collect_dir = NULL;
    long max_files = 0;
    long long max_bytes = 0;
    const char *cases_dir = NULL;
    long case_count = 0, case_timeout_ms = 0;
    long long case_output_limit = 0;
    long timeout_ms = -1;
    int waited = argc > 1 && strcmp(argv[1], "--wait") == 0;
    if (waited) {
        argv = receive(&argc);
    }
    for (;;) {
        if (argc > 4 && strcmp(argv[1], "--collect") == 0) {
            collect_dir = argv[2];
            max_files = atol(argv[3]);
            max_bytes = atoll(argv[4]);
            argv += 4;
            argc -= 4;
        } else if (argc > 5 && strcmp(argv[1], "--cases") == 0) {
            cases_dir = argv[2];
            case_count = atol(argv[3]);
            case_timeout_ms = atol(argv[4]);
            case_output_limit = atoll(argv[5]);
            argv += 5;
            argc -= 5;
        } else if (argc > 2 && strcmp(argv[1], "--as") == 0) {
            char *gid = strchr(argv[2], ':');
            as_uid = atol(argv[2]);
            as_gid = gid ? atol(gid + 1) : as_uid;
            if (as_uid <= 0 || as_gid <= 0) {
                fprintf(stderr, "crucible-launch: --as needs an unprivileged UID:GID\n");
                return 125;
            }
            argv += 2;
            argc -= 2;
        } else if (argc > 2 && strcmp(argv[1], "--timeout") == 0) {
            timeout_ms = atol(argv[2]);
            argv += 2;
            argc -= 2;
        } else {
            break;
        }
    }
    if (waited && collect_dir == NULL) {
        /* a pooled container has a folder for files to collect; this run collects none */
        unsetenv("CRUCIBLE_OUTPUT_DIR");
    }
    if (argc < 3) {
        fprintf(stderr, "usage: crucible-launch [--wait] [--as UID:GID] [--collect DIR MAX_FILES MAX_BYTES] [--timeout MS] "
                        "[--cases DIR COUNT TIMEOUT_MS OUTPUT_LIMIT] STDIN_FILE COMMAND [ARGUMENT...]\n");
        return 125;
    }
    int exited[2];
    if (pipe2(exited, O_CLOEXEC | O_NONBLOCK) < 0) {
        fprintf(stderr, "crucible-launch: pipe: %s\n", strerror(errno));
        return 125;
    }
    exited_r = exited[0];
    child_exit_w = exited[1];
    /* A platform that stops reading must not kill the launcher with SIGPIPE (see forward()). */
    signal(SIGPIPE, SIG_IGN);
    /* The program runs as the same user: keep it from reaching into this process (ptrace,
       /proc/PID/fd). Set before fork, so there is no moment without it; exec gives the program
       its own dumpable state back. */
    if (prctl(PR_SET_DUMPABLE, 0) < 0) {
        fail("prctl(PR_SET_DUMPABLE)");
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_sigchld;
    action.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    if (sigaction(SIGCHLD, &action, NULL) < 0) {
        fail("sigaction(SIGCHLD)");
    }
    struct sigaction forward_action;
    memset(&forward_action, 0, sizeof forward_action);
    forward_action.sa_handler = on_forwarded;
    forward_action.sa_flags = SA_RESTART;
    const int forwarded[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};
    for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++) {
        sigaction(forwarded[i], &forward_action, NULL);
    }

    int status = 0;
    int flags = 0;
    int processes = 0;
    if (cases_dir != NULL) {
        run_cases(cases_dir, case_count, case_timeout_ms, case_output_limit, argv + 2, argc - 2);
    } else {
        struct run r;
        if (run_program(argv + 2, argv[1], timeout_ms > 0 ? timeout_ms : -1, -1, &r) < 0) {
            return 125;
        }
        status = r.status;
        flags = r.timed_out ? 1 : 0;
        processes = r.processes;
        unsigned char elapsed[8];
        put64(elapsed, (uint64_t) r.runtime_us);
        send_frame(9, elapsed, sizeof elapsed);
    }
    send_usage();
    if (collect_dir != NULL) {
        collect_files(collect_dir, max_files, max_bytes);
    }
    unsigned char trailer[9];
    put32(trailer, (uint32_t) status);
    trailer[4] = (unsigned char) flags;
    put32(trailer + 5, (uint32_t) processes);
    send_frame(10, trailer, sizeof trailer);
    if (WIFSIGNALED(status)) {
        return 128 + WTERMSIG(status);
    }
    return WEXITSTATUS(status);
}
