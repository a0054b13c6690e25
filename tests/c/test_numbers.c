/*
 * Numbers through the C ABI: every interval method, the two-sample comparison and survey
 * planning on small tallies whose values are known (tests/reference/nps_intervals.json).
 */
#include "check.h"

/* An estimate of `t` by `method` at 95 %; fails the test (and returns zeros) on error. */
static nps_estimate estimate(const nps_tally *t, const char *method,
                             const nps_method_options *options) {
    nps_estimate e = {0};
    CHECK_OK(nps_tally_estimate(t, method, options, 0.95, &e));
    return e;
}

static void intervals(const nps_tally *t) {
    nps_estimate e = estimate(t, "wald", NULL);
    CHECK_EQ_U64(e.n, 100);
    CHECK_NEAR(e.nps, 30.0, 1e-9);
    CHECK_NEAR(e.promoters, 0.5, 1e-12);
    CHECK_NEAR(e.passives, 0.3, 1e-12);
    CHECK_NEAR(e.detractors, 0.2, 1e-12);
    CHECK_NEAR(e.level, 0.95, 0.0);
    CHECK_NEAR(e.low, 14.69219192495733, 1e-9);
    CHECK_NEAR(e.high, 45.307808075042666, 1e-9);

    e = estimate(t, "adjusted_wald", NULL);
    CHECK_NEAR(e.low, 14.051130178761606, 1e-9);
    CHECK_NEAR(e.high, 44.20129700570441, 1e-9);

    /* NULL method = adjusted_wald, the recommended default. */
    nps_estimate d = estimate(t, NULL, NULL);
    CHECK_NEAR(d.low, e.low, 0.0);
    CHECK_NEAR(d.high, e.high, 0.0);

    e = estimate(t, "score", NULL);
    CHECK_NEAR(e.low, 13.955141614195696, 1e-7);
    CHECK_NEAR(e.high, 44.33930663358594, 1e-7);

    nps_method_options options;
    CHECK_OK(nps_method_options_default(&options));
    CHECK_NEAR(options.prior, 0.5, 0.0);
    e = estimate(t, "bayes", &options);
    CHECK_NEAR(e.low, 14.016675086248942, 1e-7);
    CHECK_NEAR(e.high, 44.2726522600299, 1e-7);

    /* The bootstrap is reproducible: same seed, same bounds. */
    options.replicates = 2000;
    options.seed = 12345;
    nps_estimate b1 = estimate(t, "bootstrap", &options);
    nps_estimate b2 = estimate(t, "bootstrap", &options);
    CHECK(b1.low == b2.low && b1.high == b2.high);
    CHECK(b1.low < 30.0 && 30.0 < b1.high);
    CHECK_NEAR(b1.low, 14.7, 3.0);
}

static void comparisons(const nps_tally *a, const nps_tally *b) {
    nps_comparison c = {0};
    CHECK_OK(nps_compare(a, b, "wald", 0.95, &c));
    CHECK_NEAR(c.nps_a, 30.0, 1e-9);
    CHECK_NEAR(c.nps_b, 10.0, 1e-9);
    CHECK_NEAR(c.difference, 20.0, 1e-9);
    CHECK_NEAR(c.se, 11.401754250991379, 1e-9);
    CHECK_NEAR(c.z, 20.0 / 11.401754250991379, 1e-9);
    CHECK_NEAR(c.p_value, 0.07941062599894229, 1e-9);
    CHECK_NEAR(c.low, -2.3470276925195682, 1e-9);
    CHECK_NEAR(c.high, 42.347027692519557, 1e-9);

    CHECK_OK(nps_compare(a, b, "adjusted_wald", 0.95, &c));
    CHECK_NEAR(c.difference, 19.417475728155337, 1e-9);
    CHECK_NEAR(c.p_value, 0.08321586753157123, 1e-9);
}

static void planning(void) {
    uint64_t n = 0;
    CHECK_OK(nps_sample_size(5.0, 0.95, NULL, 0, &n));
    CHECK_EQ_U64(n, 1537);
    CHECK_OK(nps_sample_size(10.0, 0.95, NULL, 0, &n));
    CHECK_EQ_U64(n, 385);
    CHECK_OK(nps_sample_size(5.0, 0.9, NULL, 0, &n));
    CHECK_EQ_U64(n, 1083);

    /* Expected shares and a finite population both shrink the sample. */
    nps_expected_shares expected = {0.5, 0.2};
    uint64_t smaller = 0;
    CHECK_OK(nps_sample_size(5.0, 0.95, &expected, 0, &smaller));
    CHECK(smaller < 1537);
    CHECK_OK(nps_sample_size(5.0, 0.95, NULL, 2000, &smaller));
    CHECK(smaller < 1537);

    double margin = 0.0;
    CHECK_OK(nps_margin_of_error(385, 0.95, NULL, 0, &margin));
    CHECK(margin > 9.9 && margin < 10.0);
    CHECK_OK(nps_margin_of_error(1537, 0.95, NULL, 0, &margin));
    CHECK(margin > 4.99 && margin < 5.0);
}

int main(void) {
    nps_tally *a = check_tally(20, 30, 50);
    nps_tally *b = check_tally(30, 30, 40);
    intervals(a);
    comparisons(a, b);
    planning();
    nps_tally_free(a);
    nps_tally_free(b);
    CHECK_DONE();
}
