/*
 * nps from C: tally survey answers, print the NPS with its 95 % interval, and show what a
 * failed call looks like.
 *
 * Build against an installed libnps (`make install`):
 *     cc basic.c $(pkg-config --cflags --libs nps) -o basic
 * or from the repository after `make lib` (which also links libnps.so.0, the SONAME the program
 * loads, to target/release/libnps.so):
 *     cc -I include examples/c/basic.c -L target/release -Wl,-rpath,target/release -lnps
 */
#include <stdio.h>

#include "nps.h"

/* Prints the message of the last failed nps call on this thread. */
static void print_error(const char *what, nps_status status) {
    char message[512];
    nps_last_error_message(message, sizeof message, NULL);
    fprintf(stderr, "%s failed (%s): %s\n", what, nps_status_name((int32_t)status), message);
}

int main(void) {
    /* Answers to "How likely are you to recommend us to a friend?" (0-10), e.g. from a CRM
     * export. Use nps_tally_add_f64 instead when unanswered questions are NaN. */
    const uint8_t scores[] = {10, 9, 9, 8, 7, 6, 10, 3, 9, 10, 10, 5, 8, 9, 2, 10};
    const size_t n_scores = sizeof scores / sizeof scores[0];

    /* A tally on the standard scale (NULL): detractors 0-6, passives 7-8, promoters 9-10.
     * We own it and must free it with nps_tally_free. */
    nps_tally *tally = NULL;
    nps_status status = nps_tally_new(NULL, &tally);
    if (status != NPS_OK) {
        print_error("nps_tally_new", status);
        return 1;
    }

    /* Add answers in as many batches as you like; tallies from other batches or servers can
     * be combined with nps_tally_merge. */
    status = nps_tally_add_u8(tally, scores, n_scores);
    if (status != NPS_OK) {
        print_error("nps_tally_add_u8", status);
        nps_tally_free(tally);
        return 1;
    }

    /* The NPS with the adjusted Wald interval (the recommended default; NULL picks it too).
     * NPS and bounds are in points, from -100 to 100; shares are fractions. */
    nps_estimate e;
    status = nps_tally_estimate(tally, "adjusted_wald", NULL, 0.95, &e);
    if (status != NPS_OK) {
        print_error("nps_tally_estimate", status);
        nps_tally_free(tally);
        return 1;
    }
    printf("n = %llu: %.0f%% promoters, %.0f%% detractors\n", (unsigned long long)e.n,
           100.0 * e.promoters, 100.0 * e.detractors);
    printf("NPS = %.1f, 95%% interval [%.1f, %.1f]\n", e.nps, e.low, e.high);

    /* A bad call returns a status code and leaves a message naming what was wrong: here the
     * 3rd answer (index 2) is 11, off the 0-10 scale. The tally is left unchanged. */
    const uint8_t typo[] = {9, 10, 11};
    status = nps_tally_add_u8(tally, typo, 3);
    if (status != NPS_OK) {
        print_error("nps_tally_add_u8", status);
    }

    nps_tally_free(tally);
    return 0;
}
