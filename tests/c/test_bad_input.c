/*
 * Bad input through the C ABI: each call fails with its status code, a last-error message that
 * names the field and the position, and no output written.
 */
#include "check.h"

static void bad_scores(void) {
    nps_tally *t = check_tally(1, 1, 1);
    const uint8_t bytes[] = {10, 9, 8, 11};
    const int32_t ints[] = {5, -1};
    const int64_t longs[] = {0, 12};
    const double doubles[] = {1.0, 2.0, 7.5};
    const double infinite[] = {INFINITY};
    CHECK_ERR(nps_tally_add_u8(t, bytes, 4), NPS_ERR_INVALID_SCORE,
              "score at index 3 is 11; scores are whole numbers in 0..=10");
    CHECK_ERR(nps_tally_add_i32(t, ints, 2), NPS_ERR_INVALID_SCORE, "score at index 1 is -1");
    CHECK_ERR(nps_tally_add_i64(t, longs, 2), NPS_ERR_INVALID_SCORE, "score at index 1 is 12");
    CHECK_ERR(nps_tally_add_f64(t, doubles, 3), NPS_ERR_INVALID_SCORE, "score at index 2 is 7.5");
    CHECK_ERR(nps_tally_add_f64(t, infinite, 1), NPS_ERR_INVALID_SCORE, "score at index 0 is inf");

    /* A failed add leaves the tally unchanged. */
    uint64_t n = 0;
    CHECK_OK(nps_tally_n(t, &n));
    CHECK_EQ_U64(n, 3);
    CHECK(strcmp(check_last_error(), "") == 0); /* a success clears the message */

    /* Counts must have one bin per score 0..=10, and none off the scale. */
    nps_tally *out = NULL;
    const uint64_t counts[NPS_SCORE_BINS] = {4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    CHECK_ERR(nps_tally_from_counts(NULL, counts, 5, &out), NPS_ERR_LENGTH_MISMATCH,
              "counts has 5 elements; it must have 11");
    const nps_scale five = {1, 5, 3, 5};
    CHECK_ERR(nps_tally_from_counts(&five, counts, NPS_SCORE_BINS, &out), NPS_ERR_INVALID_SCORE,
              "score at index 0 is 0; scores are whole numbers in 1..=5");
    CHECK(out == NULL);
    nps_tally_free(t);
}

static void bad_weights(void) {
    nps_tally *t = NULL;
    CHECK_OK(nps_tally_new(NULL, &t));
    const double scores[] = {9.0, 9.0, 9.0};
    const double zero_w[] = {0.0, 0.0, 0.0};
    const struct {
        double weights[3];
        const char *message;
    } cases[] = {
        {{1.0, NAN, 1.0}, "weight at index 1 is NaN; weights must be finite and non-negative"},
        {{1.0, 1.0, -0.5}, "weight at index 2 is -0.5"},
        {{INFINITY, 1.0, 1.0}, "weight at index 0 is inf"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CHECK_ERR(nps_tally_add_weighted_f64(t, scores, 3, cases[i].weights, 3),
                  NPS_ERR_INVALID_WEIGHT, cases[i].message);
    }
    CHECK_ERR(nps_tally_add_weighted_f64(t, scores, 3, zero_w, 2), NPS_ERR_LENGTH_MISMATCH,
              "weights has 2 elements but scores has 3");

    nps_estimate e = {.nps = 12345.0};
    CHECK_OK(nps_tally_add_weighted_f64(t, scores, 3, zero_w, 3));
    CHECK_ERR(nps_tally_estimate(t, "wald", NULL, 0.95, &e), NPS_ERR_ZERO_TOTAL_WEIGHT,
              "the weights of the 3 answered responses sum to zero");
    CHECK_ERR(nps_score_f64(scores, 3, zero_w, 1, NULL, NULL, 0.95, &e), NPS_ERR_LENGTH_MISMATCH,
              "weights has 1 elements but scores has 3");
    CHECK_NEAR(e.nps, 12345.0, 0.0); /* nothing written on failure */
    nps_tally_free(t);
}

static void bad_requests(void) {
    nps_tally *empty = NULL, *t = check_tally(20, 30, 50);
    CHECK_OK(nps_tally_new(NULL, &empty));
    nps_estimate e = {.nps = 12345.0};
    nps_comparison c = {.difference = 12345.0};

    CHECK_ERR(nps_tally_estimate(empty, NULL, NULL, 0.95, &e), NPS_ERR_EMPTY,
              "needs at least 1 answered response(s), got 0");
    CHECK_ERR(nps_compare(t, empty, "wald", 0.95, &c), NPS_ERR_EMPTY, "response(s), got 0");

    const double levels[] = {0.0, 1.0, 1.5};
    const char *shown[] = {"confidence level is 0;", "confidence level is 1;",
                           "confidence level is 1.5;"};
    for (size_t i = 0; i < 3; i++) {
        CHECK_ERR(nps_tally_estimate(t, "wald", NULL, levels[i], &e), NPS_ERR_INVALID_LEVEL,
                  shown[i]);
        CHECK_ERR(nps_compare(t, t, NULL, levels[i], &c), NPS_ERR_INVALID_LEVEL, shown[i]);
    }

    CHECK_ERR(nps_tally_estimate(t, "walds", NULL, 0.95, &e), NPS_ERR_UNKNOWN_METHOD,
              "unknown interval method \"walds\"; expected one of wald, adjusted_wald");
    CHECK_ERR(nps_compare(t, t, "bayes", 0.95, &c), NPS_ERR_UNSUPPORTED_METHOD,
              "method \"bayes\" is not available for comparing two samples");
    CHECK_ERR(nps_tally_estimate(t, "\xff\xfe", NULL, 0.95, &e), NPS_ERR_INVALID_UTF8,
              "method is not valid UTF-8");

    nps_method_options options;
    CHECK_OK(nps_method_options_default(&options));
    options.replicates = 0;
    CHECK_ERR(nps_tally_estimate(t, "bootstrap", &options, 0.95, &e), NPS_ERR_INVALID_ARGUMENT,
              "replicates is 0");
    options.prior = -1.0;
    CHECK_ERR(nps_tally_estimate(t, "bayes", &options, 0.95, &e), NPS_ERR_INVALID_ARGUMENT,
              "prior is -1");

    CHECK_NEAR(e.nps, 12345.0, 0.0);
    CHECK_NEAR(c.difference, 12345.0, 0.0);
    nps_tally_free(empty);
    nps_tally_free(t);
}

static void bad_scales_and_json(void) {
    nps_tally *out = NULL;
    const nps_scale unordered = {0, 10, 9, 6};
    const nps_scale too_wide = {0, 11, 6, 9};
    CHECK_ERR(nps_tally_new(&unordered, &out), NPS_ERR_INVALID_SCALE,
              "invalid cut-points: need min <= detractor_max < promoter_min <= max, got min 0, "
              "detractor_max 9, promoter_min 6, max 10");
    CHECK_ERR(nps_tally_new(&too_wide, &out), NPS_ERR_INVALID_SCALE, "scale maximum is 11");

    CHECK_ERR(nps_tally_from_json("{not json", &out), NPS_ERR_INVALID_JSON,
              "the JSON text is not a valid tally: key must be a string at line 1 column 2");
    CHECK_ERR(nps_tally_from_json("{\"scale\":{\"min\":0,\"max\":10,\"detractor_max\":9,"
                                  "\"promoter_min\":6},\"counts\":[0,0,0,0,0,0,0,0,0,0,0],"
                                  "\"missing\":0,\"weights\":null}",
                                  &out),
              NPS_ERR_INVALID_JSON, "invalid cut-points");
    CHECK_ERR(nps_tally_from_json("{\"scale\xff\":1}", &out), NPS_ERR_INVALID_UTF8,
              "json is not valid UTF-8: invalid utf-8 sequence of 1 bytes from index 7");
    CHECK(out == NULL);

    /* A tally on another scale cannot be merged or compared. */
    const nps_scale five = {1, 5, 3, 5};
    nps_tally *a = check_tally(1, 1, 1), *b = NULL;
    CHECK_OK(nps_tally_new(&five, &b));
    const uint8_t scores[] = {1, 5};
    CHECK_OK(nps_tally_add_u8(b, scores, 2));
    nps_comparison c;
    CHECK_ERR(nps_compare(a, b, "wald", 0.95, &c), NPS_ERR_SCALE_MISMATCH,
              "cannot combine tallies on different scales");
    nps_tally_free(a);
    nps_tally_free(b);
}

static void bad_planning(void) {
    double margin = 12345.0;
    uint64_t n = 12345;
    const nps_expected_shares too_much = {0.7, 0.5};
    const nps_expected_shares negative = {-0.1, 0.5};
    CHECK_ERR(nps_sample_size(5.0, 0.95, &too_much, 0, &n), NPS_ERR_INVALID_ARGUMENT,
              "promoters + detractors is 1.2");
    CHECK_ERR(nps_sample_size(5.0, 0.95, &negative, 0, &n), NPS_ERR_INVALID_ARGUMENT,
              "promoters is -0.1");
    CHECK_ERR(nps_sample_size(0.0, 0.95, NULL, 0, &n), NPS_ERR_INVALID_ARGUMENT, "margin is 0");
    CHECK_ERR(nps_sample_size(5.0, 1.5, NULL, 0, &n), NPS_ERR_INVALID_LEVEL,
              "confidence level is 1.5");
    CHECK_ERR(nps_margin_of_error(0, 0.95, NULL, 0, &margin), NPS_ERR_EMPTY,
              "a margin of error needs at least 1");
    CHECK_ERR(nps_margin_of_error(500, 0.95, NULL, 100, &margin), NPS_ERR_INVALID_ARGUMENT,
              "population is 100");
    CHECK_EQ_U64(n, 12345);
    CHECK_NEAR(margin, 12345.0, 0.0);
}

static void null_pointers(void) {
    nps_tally *t = check_tally(1, 1, 1), *out = NULL;
    const uint64_t counts[NPS_SCORE_BINS] = {0};
    const double scores[] = {9.0};
    nps_estimate e;
    nps_comparison c;
    uint64_t n;
    char buf[8];

    CHECK_ERR(nps_tally_new(NULL, NULL), NPS_ERR_NULL_POINTER, "out is NULL");
    CHECK_ERR(nps_tally_from_counts(NULL, NULL, NPS_SCORE_BINS, &out), NPS_ERR_NULL_POINTER,
              "counts is NULL");
    CHECK_ERR(nps_tally_from_counts(NULL, counts, NPS_SCORE_BINS, NULL), NPS_ERR_NULL_POINTER,
              "out is NULL");
    CHECK_ERR(nps_tally_clone(NULL, &out), NPS_ERR_NULL_POINTER, "tally is NULL");
    CHECK_ERR(nps_tally_clone(t, NULL), NPS_ERR_NULL_POINTER, "out is NULL");
    CHECK_ERR(nps_tally_add_weighted_f64(NULL, scores, 1, scores, 1), NPS_ERR_NULL_POINTER,
              "tally is NULL");
    CHECK_ERR(nps_tally_add_weighted_f64(t, NULL, 1, scores, 1), NPS_ERR_NULL_POINTER,
              "scores is NULL");
    CHECK_ERR(nps_tally_add_weighted_f64(t, scores, 1, NULL, 1), NPS_ERR_NULL_POINTER,
              "weights is NULL");
    CHECK_ERR(nps_tally_merge(NULL, t), NPS_ERR_NULL_POINTER, "into is NULL");
    CHECK_ERR(nps_tally_merge(t, NULL), NPS_ERR_NULL_POINTER, "other is NULL");
    CHECK_ERR(nps_tally_counts(t, NULL, NPS_SCORE_BINS), NPS_ERR_NULL_POINTER,
              "counts buffer is NULL");
    CHECK_ERR(nps_tally_n(NULL, &n), NPS_ERR_NULL_POINTER, "tally is NULL");
    CHECK_ERR(nps_tally_to_json(NULL, buf, sizeof buf, NULL), NPS_ERR_NULL_POINTER,
              "tally is NULL");
    CHECK_ERR(nps_tally_to_json(t, NULL, 100, NULL), NPS_ERR_NULL_POINTER, "buf is NULL");
    CHECK_ERR(nps_tally_from_json(NULL, &out), NPS_ERR_NULL_POINTER, "json is NULL");
    CHECK_ERR(nps_tally_from_json("{}", NULL), NPS_ERR_NULL_POINTER, "out is NULL");
    CHECK_ERR(nps_tally_estimate(NULL, NULL, NULL, 0.95, &e), NPS_ERR_NULL_POINTER,
              "tally is NULL");
    CHECK_ERR(nps_tally_estimate(t, NULL, NULL, 0.95, NULL), NPS_ERR_NULL_POINTER,
              "out is NULL");
    CHECK_ERR(nps_score_f64(NULL, 3, NULL, 0, NULL, NULL, 0.95, &e), NPS_ERR_NULL_POINTER,
              "scores is NULL");
    CHECK_ERR(nps_compare(NULL, t, NULL, 0.95, &c), NPS_ERR_NULL_POINTER, "a is NULL");
    CHECK_ERR(nps_compare(t, NULL, NULL, 0.95, &c), NPS_ERR_NULL_POINTER, "b is NULL");
    CHECK_ERR(nps_compare(t, t, NULL, 0.95, NULL), NPS_ERR_NULL_POINTER, "out is NULL");
    CHECK_ERR(nps_margin_of_error(100, 0.95, NULL, 0, NULL), NPS_ERR_NULL_POINTER, "out is NULL");
    CHECK_ERR(nps_sample_size(5.0, 0.95, NULL, 0, NULL), NPS_ERR_NULL_POINTER, "out is NULL");
    CHECK_ERR(nps_method_options_default(NULL), NPS_ERR_NULL_POINTER, "out is NULL");
    CHECK(out == NULL);

    /* nps_last_error_message with a NULL buffer fails but keeps the message it would report. */
    CHECK_STATUS(nps_last_error_message(NULL, 10, NULL), NPS_ERR_NULL_POINTER);
    CHECK(strcmp(check_last_error(), "out is NULL; it must point to valid memory") == 0);
    nps_tally_free(t);
}

static void short_buffers(void) {
    nps_tally *t = check_tally(1, 1, 1);
    const uint8_t bad[] = {11};
    CHECK_STATUS(nps_tally_add_u8(t, bad, 1), NPS_ERR_INVALID_SCORE);
    const char *message = "score at index 0 is 11; scores are whole numbers in 0..=10";

    char small[8];
    memset(small, 'x', sizeof small);
    size_t needed = 0;
    CHECK_STATUS(nps_last_error_message(small, sizeof small, &needed), NPS_ERR_BUFFER_TOO_SMALL);
    CHECK_EQ_U64(needed, strlen(message) + 1);
    CHECK(small[0] == 'x' && small[7] == 'x'); /* untouched */
    /* The short read did not replace the message. */
    CHECK(strcmp(check_last_error(), message) == 0);

    uint64_t counts[NPS_SCORE_BINS] = {0};
    CHECK_ERR(nps_tally_counts(t, counts, NPS_SCORE_BINS - 1), NPS_ERR_BUFFER_TOO_SMALL,
              "counts buffer has room for 10 elements; 11 are needed");
    CHECK_EQ_U64(counts[0], 0);

    char json[4];
    CHECK_ERR(nps_tally_to_json(t, json, sizeof json, &needed), NPS_ERR_BUFFER_TOO_SMALL,
              "buf has room for 4 elements");
    CHECK(needed > sizeof json);
    nps_tally_free(t);
}

static void status_names(void) {
    CHECK(strcmp(nps_status_name(NPS_OK), "NPS_OK") == 0);
    CHECK(strcmp(nps_status_name(NPS_ERR_EMPTY), "NPS_ERR_EMPTY") == 0);
    CHECK(strcmp(nps_status_name(NPS_ERR_PANIC), "NPS_ERR_PANIC") == 0);
    CHECK(strcmp(nps_status_name(-1), "NPS_ERR_UNKNOWN_STATUS") == 0);
    CHECK(strcmp(nps_status_name(NPS_ERR_UNKNOWN_ALERT + 1), "NPS_ERR_UNKNOWN_STATUS") == 0);
}

int main(void) {
    bad_scores();
    bad_weights();
    bad_requests();
    bad_scales_and_json();
    bad_planning();
    null_pointers();
    short_buffers();
    status_names();
    CHECK_DONE();
}
