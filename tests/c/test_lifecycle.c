/*
 * A tally's life through the C ABI: create, add every score type, merge, clone, read back,
 * serialize to JSON and back, weight, free. Run under valgrind by run.sh: no leak, no bad access.
 */
#include <stdlib.h>

#include "check.h"

static void counts_equal(const nps_tally *t, const uint64_t expected[NPS_SCORE_BINS]) {
    uint64_t counts[NPS_SCORE_BINS + 1];
    counts[NPS_SCORE_BINS] = 777; /* past the 11 bins: must stay untouched */
    CHECK_OK(nps_tally_counts(t, counts, NPS_SCORE_BINS + 1));
    for (size_t s = 0; s < NPS_SCORE_BINS; s++) CHECK_EQ_U64(counts[s], expected[s]);
    CHECK_EQ_U64(counts[NPS_SCORE_BINS], 777);
}

static void add_merge_clone(void) {
    nps_tally *t = NULL, *u = NULL, *copy = NULL;
    CHECK_OK(nps_tally_new(NULL, &t));
    CHECK_OK(nps_tally_new(NULL, &u));

    const uint8_t bytes[] = {10, 9, 8};
    const int32_t ints[] = {7, 6, 0};
    const int64_t longs[] = {10, 3};
    const double doubles[] = {9.0, NAN, 5.0, NAN};
    CHECK_OK(nps_tally_add_u8(t, bytes, 3));
    CHECK_OK(nps_tally_add_i32(t, ints, 3));
    CHECK_OK(nps_tally_add_i64(u, longs, 2));
    CHECK_OK(nps_tally_add_f64(u, doubles, 4));
    CHECK_OK(nps_tally_add_u8(u, NULL, 0)); /* an empty slice */

    uint64_t n = 0, missing = 0;
    CHECK_OK(nps_tally_missing(u, &missing));
    CHECK_EQ_U64(missing, 2);

    CHECK_OK(nps_tally_merge(t, u));
    CHECK_OK(nps_tally_n(t, &n));
    CHECK_OK(nps_tally_missing(t, &missing));
    CHECK_EQ_U64(n, 10);
    CHECK_EQ_U64(missing, 2);
    const uint64_t expected[NPS_SCORE_BINS] = {1, 0, 0, 1, 0, 1, 1, 1, 1, 2, 2};
    counts_equal(t, expected);

    /* A clone is independent of its source. */
    CHECK_OK(nps_tally_clone(t, &copy));
    CHECK_OK(nps_tally_add_u8(t, bytes, 3));
    counts_equal(copy, expected);

    /* Merging a tally into itself doubles it. */
    CHECK_OK(nps_tally_merge(copy, copy));
    CHECK_OK(nps_tally_n(copy, &n));
    CHECK_EQ_U64(n, 20);

    nps_estimate e = {0};
    CHECK_OK(nps_tally_estimate(t, "wald", NULL, 0.95, &e));
    CHECK_EQ_U64(e.n, 13);
    CHECK_EQ_U64(e.n_missing, 2);
    CHECK(!e.weighted);
    CHECK_NEAR(e.n_eff, 13.0, 1e-12);
    CHECK_NEAR(e.design_effect, 1.0, 1e-12);
    CHECK_NEAR(e.nps, 100.0 * (6.0 - 4.0) / 13.0, 1e-9);

    nps_tally_free(t);
    nps_tally_free(u);
    nps_tally_free(copy);
    nps_tally_free(NULL); /* allowed */
}

static void json_round_trip(void) {
    nps_tally *t = check_tally(20, 30, 50), *back = NULL;
    const double scores[] = {NAN, 9.0};
    CHECK_OK(nps_tally_add_f64(t, scores, 2));

    size_t needed = 0;
    CHECK_STATUS(nps_tally_to_json(t, NULL, 0, &needed), NPS_ERR_BUFFER_TOO_SMALL);
    CHECK(needed > 1);
    char *json = malloc(needed);
    CHECK(json != NULL);
    size_t again = 0;
    CHECK_OK(nps_tally_to_json(t, json, needed, &again));
    CHECK_EQ_U64(again, needed);
    CHECK_EQ_U64(strlen(json) + 1, needed);
    CHECK(strstr(json, "\"counts\"") != NULL);

    CHECK_OK(nps_tally_from_json(json, &back));
    uint64_t n = 0, missing = 0;
    CHECK_OK(nps_tally_n(back, &n));
    CHECK_OK(nps_tally_missing(back, &missing));
    CHECK_EQ_U64(n, 101);
    CHECK_EQ_U64(missing, 1);

    free(json);
    nps_tally_free(t);
    nps_tally_free(back);
}

static void weighted(void) {
    nps_tally *t = NULL;
    CHECK_OK(nps_tally_new(NULL, &t));
    const double scores[] = {10.0, 9.0, 7.0, 3.0, NAN, 10.0};
    const double weights[] = {1.0, 2.0, 1.0, 0.5, 4.0, 1.5};
    CHECK_OK(nps_tally_add_weighted_f64(t, scores, 6, weights, 6));

    bool is_weighted = false;
    CHECK_OK(nps_tally_is_weighted(t, &is_weighted));
    CHECK(is_weighted);

    nps_estimate e = {0};
    CHECK_OK(nps_tally_estimate(t, "wald", NULL, 0.95, &e));
    CHECK(e.weighted);
    CHECK_EQ_U64(e.n, 5);
    CHECK_EQ_U64(e.n_missing, 1);
    /* Sum of weights 6, sum of squares 8.5 (the missing answer's weight is ignored). */
    CHECK_NEAR(e.n_eff, 36.0 / 8.5, 1e-12);
    CHECK_NEAR(e.design_effect, 5.0 / (36.0 / 8.5), 1e-12);
    CHECK_NEAR(e.promoters, 4.5 / 6.0, 1e-12);
    CHECK_NEAR(e.detractors, 0.5 / 6.0, 1e-12);
    CHECK_NEAR(e.nps, 100.0 * 4.0 / 6.0, 1e-9);
    CHECK(e.se > 0.0 && e.low < e.nps && e.nps < e.high);

    /* The one-call convenience gives the same estimate. */
    nps_estimate same = {0};
    CHECK_OK(nps_score_f64(scores, 6, weights, 6, "wald", NULL, 0.95, &same));
    CHECK_NEAR(same.nps, e.nps, 0.0);
    CHECK_NEAR(same.se, e.se, 0.0);
    CHECK_NEAR(same.n_eff, e.n_eff, 0.0);

    /* Unweighted when weights is NULL. */
    CHECK_OK(nps_score_f64(scores, 6, NULL, 0, NULL, NULL, 0.95, &same));
    CHECK(!same.weighted);
    CHECK_NEAR(same.nps, 100.0 * (3.0 - 1.0) / 5.0, 1e-9);

    nps_tally_free(t);
}

static void other_scales(void) {
    /* A five-point programme: 1-3 detractors, 4 passive, 5 promoters. */
    const nps_scale five = {1, 5, 3, 5};
    nps_tally *t = NULL, *standard = check_tally(1, 1, 1);
    CHECK_OK(nps_tally_new(&five, &t));
    const uint8_t scores[] = {5, 5, 4, 1};
    CHECK_OK(nps_tally_add_u8(t, scores, 4));
    nps_estimate e = {0};
    CHECK_OK(nps_tally_estimate(t, "wald", NULL, 0.9, &e));
    CHECK_NEAR(e.nps, 25.0, 1e-9);
    CHECK_ERR(nps_tally_merge(t, standard), NPS_ERR_SCALE_MISMATCH, "different scales");
    nps_tally_free(t);
    nps_tally_free(standard);
}

int main(void) {
    const char *version = nps_version();
    CHECK(version != NULL && strlen(version) > 0);
    add_merge_clone();
    json_round_trip();
    weighted();
    other_scales();
    CHECK_DONE();
}
