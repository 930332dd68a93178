/* Atomic output files under concurrency (issue 11): batch -j N commits files
 * from several threads at once. The final mode must be 0644 minus the
 * process umask, and committing must never change the umask itself: the old
 * commit read it with umask(0); umask(old), and two threads interleaving
 * those calls could leave the process umask at 0 for the rest of the run,
 * so a clinic's umask 077 would give world-readable reports. */
#define _POSIX_C_SOURCE 200809L
#include "test_util.h"

#include <pthread.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "core/atomic_file.h"

#define THREADS 4
#define FILES 300

typedef struct job {
    char dir[1100];
    int id, errors;
} job;

static void *writer(void *arg)
{
    job *j = arg;
    char path[1200];
    for (int k = 0; k < FILES; k++) {
        snprintf(path, sizeof path, "%s/t%d_%d.txt", j->dir, j->id, k);
        st_err err;
        if (st_atomic_write(path, "patient data\n", 13, &err) != ST_OK)
            j->errors++;
    }
    return NULL;
}

static int count_mode(const char *dir, int id, mode_t want, int *seen)
{
    int bad = 0;
    char path[1200];
    for (int k = 0; k < FILES; k++) {
        struct stat st;
        snprintf(path, sizeof path, "%s/t%d_%d.txt", dir, id, k);
        if (stat(path, &st) != 0)
            continue;
        (*seen)++;
        bad += (st.st_mode & 0777) != want;
    }
    return bad;
}

static void test_concurrent_umask(mode_t um, const char *sub)
{
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/%s", test_tmpdir("atomic_umask"), sub);
    mkdir(dir, 0700);
    mode_t old = umask(um);
    pthread_t tid[THREADS];
    job jobs[THREADS];
    for (int t = 0; t < THREADS; t++) {
        snprintf(jobs[t].dir, sizeof jobs[t].dir, "%s", dir);
        jobs[t].id = t;
        jobs[t].errors = 0;
        pthread_create(&tid[t], NULL, writer, &jobs[t]);
    }
    for (int t = 0; t < THREADS; t++)
        pthread_join(tid[t], NULL);
    mode_t now = umask(old);
    CHECK_MSG(now == um, "umask %03o changed to %03o by concurrent commits", (unsigned)um, (unsigned)now);
    int bad = 0, seen = 0;
    for (int t = 0; t < THREADS; t++) {
        CHECK_EQ_INT(jobs[t].errors, 0);
        bad += count_mode(dir, t, 0644 & ~um, &seen);
    }
    CHECK_EQ_INT(seen, THREADS * FILES);
    CHECK_MSG(bad == 0, "%d of %d files not mode %03o under umask %03o", bad, seen, 0644 & ~um, (unsigned)um);
}

int main(void)
{
    test_concurrent_umask(077, "u077");
    test_concurrent_umask(022, "u022");
    test_concurrent_umask(027, "u027");
    return test_summary();
}
