/*
 * Assertion macros shared by the C tests. A failed check prints file:line, what failed, the
 * status name and the library's last-error message, counts the failure and carries on, so one
 * run reports every failure; CHECK_DONE() ends main with the verdict.
 */
#ifndef NPS_TEST_CHECK_H
#define NPS_TEST_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nps.h"

static int check_failures;

/* The library's last-error message (in a static buffer: read it before the next check). */
static inline const char *check_last_error(void) {
    static char buf[1024];
    size_t needed = 0;
    if (nps_last_error_message(buf, sizeof buf, &needed) != NPS_OK) {
        snprintf(buf, sizeof buf, "(message of %zu bytes does not fit)", needed);
    }
    return buf;
}

static inline void check_fail(const char *file, int line, const char *what) {
    check_failures++;
    fprintf(stderr, "%s:%d: FAILED %s\n    last error: \"%s\"\n", file, line, what,
            check_last_error());
}

/* Any condition. */
#define CHECK(cond)                                      \
    do {                                                 \
        if (!(cond)) check_fail(__FILE__, __LINE__, #cond); \
    } while (0)

/* A call returns `expected` (an nps_status). */
#define CHECK_STATUS(call, expected)                                                     \
    do {                                                                                 \
        nps_status check_got_ = (call);                                                  \
        if (check_got_ != (expected)) {                                                  \
            fprintf(stderr, "%s:%d: %s returned %s, expected %s\n", __FILE__, __LINE__,  \
                    #call, nps_status_name((int32_t)check_got_),                         \
                    nps_status_name((int32_t)(expected)));                               \
            check_fail(__FILE__, __LINE__, #call);                                       \
        }                                                                                \
    } while (0)

/* A call succeeds. */
#define CHECK_OK(call) CHECK_STATUS(call, NPS_OK)

/* A call fails with `expected` and its last-error message contains `fragment`. */
#define CHECK_ERR(call, expected, fragment)                                              \
    do {                                                                                 \
        CHECK_STATUS(call, expected);                                                    \
        if (strstr(check_last_error(), (fragment)) == NULL) {                            \
            fprintf(stderr, "%s:%d: message lacks \"%s\"\n", __FILE__, __LINE__,        \
                    (fragment));                                                         \
            check_fail(__FILE__, __LINE__, #call);                                       \
        }                                                                                \
    } while (0)

/* |actual - expected| <= tol. */
#define CHECK_NEAR(actual, expected, tol)                                                \
    do {                                                                                 \
        double check_a_ = (actual), check_e_ = (expected);                               \
        if (!(fabs(check_a_ - check_e_) <= (tol))) {                                     \
            fprintf(stderr, "%s:%d: %s = %.17g, expected %.17g (tolerance %g)\n",       \
                    __FILE__, __LINE__, #actual, check_a_, check_e_, (double)(tol));     \
            check_fail(__FILE__, __LINE__, #actual);                                     \
        }                                                                                \
    } while (0)

/* Two unsigned integers are equal. */
#define CHECK_EQ_U64(actual, expected)                                                   \
    do {                                                                                 \
        unsigned long long check_a_ = (actual), check_e_ = (expected);                   \
        if (check_a_ != check_e_) {                                                      \
            fprintf(stderr, "%s:%d: %s = %llu, expected %llu\n", __FILE__, __LINE__,     \
                    #actual, check_a_, check_e_);                                        \
            check_fail(__FILE__, __LINE__, #actual);                                     \
        }                                                                                \
    } while (0)

/* A standard-scale tally of `detractors` answers of 0, `passives` of 7 and `promoters` of 10
 * (NULL on failure, which the checks report). */
static inline nps_tally *check_tally(uint64_t detractors, uint64_t passives, uint64_t promoters) {
    uint64_t counts[NPS_SCORE_BINS] = {0};
    nps_tally *t = NULL;
    counts[0] = detractors;
    counts[7] = passives;
    counts[10] = promoters;
    CHECK_OK(nps_tally_from_counts(NULL, counts, NPS_SCORE_BINS, &t));
    return t;
}

/* Ends main: 0 when every check passed. */
#define CHECK_DONE()                                                                     \
    do {                                                                                 \
        if (check_failures) fprintf(stderr, "%d check(s) failed\n", check_failures);     \
        return check_failures ? 1 : 0;                                                   \
    } while (0)

#endif /* NPS_TEST_CHECK_H */
