/*
 * The response table and its analyses through the C ABI: group-by with margins, trends with
 * slopes, the study trigger, mix/rate attribution, the competitor benchmark and the journey
 * roll-up. Every expected number is computed by hand here (counts, Wald and adjusted-Wald
 * variances, weighted least squares, Benjamini-Hochberg), then every bad input of the feature:
 * each fails with its status and a message naming the field and position. Run under valgrind by
 * run.sh: no leak, no bad access.
 */
#include <stdlib.h>

#include "check.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))
#define Z95 1.959963984540054

/* ---------------------------------------------------------------------------------------------
 * By-hand statistics
 * ------------------------------------------------------------------------------------------- */

/* NPS in points of P promoters and D detractors among n answers. */
static double nps_of(double p, double d, double n) { return 100.0 * (p - d) / n; }

/* Wald SE in points: 100 sqrt((pP + pD - (pP - pD)^2) / n). */
static double wald_se(double p, double d, double n) {
    double pp = p / n, pd = d / n;
    return 100.0 * sqrt((pp + pd - (pp - pd) * (pp - pd)) / n);
}

/* Rocks' adjusted-Wald variance in points^2: counts plus 0.75 / 1.5 / 0.75, n + 3. */
static double adjusted_variance(double p, double d, double n) {
    double pa = p + 0.75, da = d + 0.75, na = n + 3.0;
    double diff = (pa - da) / na;
    return 1e4 * ((pa + da) / na - diff * diff) / na;
}

/* Two-sided normal p-value of z. */
static double p_two_sided(double z) { return erfc(fabs(z) / sqrt(2.0)); }

/* Benjamini-Hochberg q-values of m p-values (m <= 8), in place of `q`. */
static void bh(const double *p, size_t m, double *q) {
    size_t order[8];
    for (size_t i = 0; i < m; i++) order[i] = i;
    for (size_t i = 1; i < m; i++) /* insertion sort by p */
        for (size_t j = i; j > 0 && p[order[j]] < p[order[j - 1]]; j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    double running = 1.0;
    for (size_t k = m; k > 0; k--) {
        double v = (double)m * p[order[k - 1]] / (double)k;
        if (v < running) running = v;
        q[order[k - 1]] = running;
    }
}

/* ---------------------------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------------------------- */

/* The row of `g` whose levels match `want` (one per key): a value, "*" for a margin ("all") or
 * "?" for the missing rows; SIZE_MAX when there is none. */
static size_t find_group(const nps_grouping *g, const char *const *want, size_t n_keys) {
    size_t rows = 0;
    CHECK_OK(nps_grouping_len(g, &rows));
    for (size_t r = 0; r < rows; r++) {
        size_t k = 0;
        for (; k < n_keys; k++) {
            const char *value = NULL;
            nps_level_kind kind = NPS_LEVEL_VALUE;
            CHECK_OK(nps_grouping_level(g, r, k, &value, &kind));
            int match = strcmp(want[k], "*") == 0   ? kind == NPS_LEVEL_ALL && value == NULL
                        : strcmp(want[k], "?") == 0 ? kind == NPS_LEVEL_MISSING && value == NULL
                                                    : kind == NPS_LEVEL_VALUE && value != NULL &&
                                                          strcmp(value, want[k]) == 0;
            if (!match) break;
        }
        if (k == n_keys) return r;
    }
    fprintf(stderr, "no group %s/%s\n", want[0], n_keys > 1 ? want[1] : "");
    check_failures++;
    return SIZE_MAX;
}

/* The estimate of the group `want` (as find_group), checking its n and, when asked, small. */
static nps_estimate group_estimate(const nps_grouping *g, const char *const *want, size_t n_keys,
                                   uint64_t n, int small) {
    nps_estimate e = {0};
    bool is_small = false;
    size_t row = find_group(g, want, n_keys);
    CHECK_OK(nps_grouping_estimate(g, row, &e, &is_small));
    CHECK_EQ_U64(e.n, n);
    if (small >= 0) CHECK(is_small == (small != 0));
    return e;
}

/* A JSON text from the library contains `fragment`; frees it. */
static void json_contains(char *json, const char *fragment) {
    CHECK(json != NULL && strstr(json, fragment) != NULL);
    if (json != NULL && strstr(json, fragment) == NULL) fprintf(stderr, "    json: %.300s\n", json);
    nps_string_free(json);
}

/* ---------------------------------------------------------------------------------------------
 * Group-by
 * ------------------------------------------------------------------------------------------- */

/*
 * Nine respondents:        row: 0   1   2   3   4    5   6    7   8
 *   score                       10  9   3   8   10   0   NaN  9   NaN
 *   brand                       A   A   A   B   B    B   A    B   C
 *   region (codes)              N   S   N   N   --   S   S    N   N
 *   month                       Jan Jan Jan Jan Jan  Feb Feb  Feb Feb
 */
static nps_table *small_table(void) {
    const double scores[] = {10, 9, 3, 8, 10, 0, NAN, 9, NAN};
    const char *brand[] = {"A", "A", "A", "B", "B", "B", "A", "B", "C"};
    const char *levels[] = {"N", "S"};
    const uint32_t region[] = {0, 1, 0, 0, NPS_NA, 1, 1, 0, 0};
    /* 2024-01-01 is day 19723 since 1970-01-01. */
    const int32_t days[] = {19737, 19737, 19740, 19750, 19753, 19768, 19770, 19780, 19781};
    nps_table *t = NULL;
    CHECK_OK(nps_table_new(scores, LEN(scores), &t));
    CHECK_OK(nps_table_add_dimension(t, "brand", brand, LEN(brand)));
    CHECK_OK(nps_table_add_dimension_codes(t, "region", levels, 2, region, LEN(region)));
    CHECK_OK(nps_table_set_dates(t, days, LEN(days)));
    return t;
}

static void group_by_brand_and_region(void) {
    nps_table *t = small_table();
    size_t len = 0;
    CHECK_OK(nps_table_len(t, &len));
    CHECK_EQ_U64(len, 9);

    nps_group_options o;
    CHECK_OK(nps_group_options_default(&o));
    CHECK(o.method == NULL && o.level == 0.95 && o.min_n == 30 && !o.margins);
    o.method = "wald";
    o.margins = true;
    o.min_n = 2;

    const char *keys[] = {"brand", "region"};
    nps_grouping *g = NULL;
    CHECK_OK(nps_group_by(t, keys, 2, NULL, &o, &g));

    /* 6 cells (A/N, A/S, B/N, B/S, B/missing, C/N) + brand margins 3 (N, S, missing) + region
     * margins 3 (A, B, C) + the total. */
    CHECK_OK(nps_grouping_len(g, &len));
    CHECK_EQ_U64(len, 13);
    size_t n_keys = 0;
    const char *name = NULL;
    CHECK_OK(nps_grouping_n_keys(g, &n_keys));
    CHECK_EQ_U64(n_keys, 2);
    CHECK_OK(nps_grouping_key(g, 1, &name));
    CHECK(name != NULL && strcmp(name, "region") == 0);

    /* A in the north: 10 and 3 (1 promoter, 1 detractor of 2): NPS 0, not small (2 >= 2). */
    const char *a_n[] = {"A", "N"};
    nps_estimate e = group_estimate(g, a_n, 2, 2, 0);
    CHECK_NEAR(e.nps, 0.0, 1e-12);
    CHECK_NEAR(e.se, wald_se(1, 1, 2), 1e-9);
    CHECK_NEAR(e.low, -100.0, 0.0); /* 0 - 1.96 * 70.7, clipped to the scale */

    /* A in the south: a 9 and a NaN: NPS 100, n 1 with 1 missing, small. */
    const char *a_s[] = {"A", "S"};
    e = group_estimate(g, a_s, 2, 1, 1);
    CHECK_NEAR(e.nps, 100.0, 1e-12);
    CHECK_EQ_U64(e.n_missing, 1);

    /* B without a region: the 10 of row 4. */
    const char *b_missing[] = {"B", "?"};
    e = group_estimate(g, b_missing, 2, 1, 1);
    CHECK_NEAR(e.nps, 100.0, 1e-12);

    /* C: one response, unanswered: a group without an estimate. */
    const char *c_n[] = {"C", "N"};
    size_t c_row = find_group(g, c_n, 2);
    nps_estimate untouched = {.nps = 12345.0};
    bool small = false;
    CHECK_ERR(nps_grouping_estimate(g, c_row, &untouched, &small), NPS_ERR_EMPTY,
              "has no answered response (1 missing), so no estimate");
    CHECK_NEAR(untouched.nps, 12345.0, 0.0);
    nps_tally *c_tally = NULL;
    uint64_t missing = 0;
    CHECK_OK(nps_grouping_tally(g, c_row, &c_tally));
    CHECK_OK(nps_tally_missing(c_tally, &missing));
    CHECK_EQ_U64(missing, 1);
    nps_tally_free(c_tally);

    /* Margins: brand A over all regions = 10, 9, 3: NPS 100 (2 - 1) / 3. */
    const char *a_all[] = {"A", "*"};
    e = group_estimate(g, a_all, 2, 3, 0);
    CHECK_NEAR(e.nps, nps_of(2, 1, 3), 1e-9);
    CHECK_NEAR(e.promoters, 2.0 / 3.0, 1e-12);
    CHECK_NEAR(e.se, wald_se(2, 1, 3), 1e-9);
    /* The north over all brands: 10, 3, 8, 9 (and C's NaN): NPS 25. */
    const char *all_n[] = {"*", "N"};
    e = group_estimate(g, all_n, 2, 4, 0);
    CHECK_NEAR(e.nps, 25.0, 1e-12);
    CHECK_EQ_U64(e.n_missing, 1);
    /* The total: 7 answers, 4 promoters, 1 passive, 2 detractors, 2 missing. */
    const char *total[] = {"*", "*"};
    e = group_estimate(g, total, 2, 7, 0);
    CHECK_NEAR(e.nps, nps_of(4, 2, 7), 1e-9);
    CHECK_NEAR(e.passives, 1.0 / 7.0, 1e-12);
    CHECK_EQ_U64(e.n_missing, 2);
    CHECK_NEAR(e.se, wald_se(4, 2, 7), 1e-9);
    CHECK_NEAR(e.low, nps_of(4, 2, 7) - Z95 * wald_se(4, 2, 7), 1e-6);
    CHECK_NEAR(e.high, nps_of(4, 2, 7) + Z95 * wald_se(4, 2, 7), 1e-6);
    CHECK(!e.weighted);

    char *json = NULL;
    CHECK_OK(nps_grouping_to_json(g, &json));
    json_contains(json, "\"keys\":[\"brand\",\"region\"]");
    nps_grouping_free(g);

    /* By month (the period key comes last and is named after its unit): January holds
     * 10, 9, 3, 8, 10 (NPS 40), February 0, NaN, 9, NaN (NPS 0). */
    CHECK_OK(nps_group_by(t, NULL, 0, "Month", NULL, &g));
    CHECK_OK(nps_grouping_len(g, &len));
    CHECK_EQ_U64(len, 2);
    CHECK_OK(nps_grouping_key(g, 0, &name));
    CHECK(strcmp(name, "month") == 0);
    const char *jan[] = {"2024-01"}, *feb[] = {"2024-02"};
    e = group_estimate(g, jan, 1, 5, 1); /* default min_n 30: small */
    CHECK_NEAR(e.nps, 40.0, 1e-12);
    e = group_estimate(g, feb, 1, 2, 1);
    CHECK_NEAR(e.nps, 0.0, 1e-12);
    nps_grouping_free(g);

    /* Weights: a failed set leaves the table unweighted; then A's NPS is weighted:
     * rows 0, 1, 2 weigh 1, 3, 1: promoters 4 of 5, detractors 1 of 5: NPS 60. */
    const double bad[] = {1, 3, 1, 1, 1, -2, 1, 1, 1};
    const double weights[] = {1, 3, 1, 1, 1, 1, 1, 1, 1};
    CHECK_ERR(nps_table_set_weights(t, bad, LEN(bad)), NPS_ERR_INVALID_WEIGHT,
              "weight at index 5 is -2");
    const char *a[] = {"A"};
    CHECK_OK(nps_group_by(t, keys, 1, NULL, NULL, &g));
    e = group_estimate(g, a, 1, 3, 1);
    CHECK(!e.weighted);
    nps_grouping_free(g);
    CHECK_OK(nps_table_set_weights(t, weights, LEN(weights)));
    CHECK_OK(nps_group_by(t, keys, 1, NULL, NULL, &g));
    e = group_estimate(g, a, 1, 3, 1);
    CHECK(e.weighted);
    CHECK_NEAR(e.nps, 60.0, 1e-9);
    CHECK_NEAR(e.promoters, 0.8, 1e-12);
    nps_grouping_free(g);

    /* The table's own tally: every row, weighted. */
    nps_tally *all = NULL;
    bool weighted = false;
    CHECK_OK(nps_table_tally(t, &all));
    CHECK_OK(nps_tally_is_weighted(all, &weighted));
    CHECK(weighted);
    nps_tally_free(all);
    nps_table_free(t);
}

/* ---------------------------------------------------------------------------------------------
 * Trend and study trigger
 * ------------------------------------------------------------------------------------------- */

/* The periods of the rising series: Jan, Feb, Mar and May 2024 (April has no response). */
static const int t_of[] = {0, 1, 2, 4};
static const int32_t first_of_month[] = {19723 + 9, 19754 + 9, 19783 + 9, 19844 + 9};

/* 200 responses in each of those months; in month t, 50 + 10t promoters (10), 100 passives (8)
 * and 50 - 10t detractors (2): NPS exactly 10t. With `flat`, 60/80/60 every month: NPS 0. */
static nps_table *monthly(int flat) {
    uint8_t scores[800];
    int32_t days[800];
    for (int m = 0; m < 4; m++) {
        int p = flat ? 60 : 50 + 10 * t_of[m], d = flat ? 60 : 50 - 10 * t_of[m];
        for (int i = 0; i < 200; i++) {
            scores[200 * m + i] = i < p ? 10 : i < 200 - d ? 8 : 2;
            days[200 * m + i] = first_of_month[m] + i % 15;
        }
    }
    nps_table *t = NULL;
    CHECK_OK(nps_table_new_u8(scores, 800, &t));
    CHECK_OK(nps_table_set_dates(t, days, 800));
    return t;
}

static void rising_trend(void) {
    nps_table *t = monthly(0);
    nps_trend_options o;
    CHECK_OK(nps_trend_options_default(&o));
    CHECK(o.window == 1 && o.rate == 0.05 && o.comparison == NULL);
    o.comparison = "wald";
    nps_trend_result *tr = NULL;
    CHECK_OK(nps_trend(t, NULL, 0, "month", &o, &tr));

    size_t n = 0;
    CHECK_OK(nps_trend_result_len(tr, &n));
    CHECK_EQ_U64(n, 1);
    CHECK_OK(nps_trend_result_points(tr, 0, &n));
    CHECK_EQ_U64(n, 5); /* January to May, April a gap */

    const char *labels[] = {"2024-01", "2024-02", "2024-03", "2024-04", "2024-05"};
    double p_values[2], q[2];
    for (size_t i = 0; i < 5; i++) {
        nps_trend_point pt;
        CHECK_OK(nps_trend_result_point(tr, 0, i, &pt));
        CHECK(strcmp(pt.label, labels[i]) == 0);
        CHECK(pt.gap == (i == 3) && pt.has_estimate == (i != 3));
        if (pt.has_estimate) CHECK_NEAR(pt.estimate.nps, 10.0 * (double)i, 1e-9);
        if (!pt.has_estimate) CHECK(isnan(pt.estimate.nps));
        /* Changes: Feb - Jan and Mar - Feb; none for January, the gap, or May after the gap. */
        CHECK(pt.has_change == (i == 1 || i == 2));
        if (i == 1 || i == 2) {
            double t1 = (double)i, t0 = t1 - 1.0;
            double se = hypot(wald_se(50 + 10 * t1, 50 - 10 * t1, 200),
                              wald_se(50 + 10 * t0, 50 - 10 * t0, 200));
            CHECK_NEAR(pt.change.comparison.difference, 10.0, 1e-9);
            CHECK_NEAR(pt.change.comparison.se, se, 1e-9);
            CHECK_NEAR(pt.change.comparison.p_value, p_two_sided(10.0 / se), 1e-9);
            p_values[i - 1] = p_two_sided(10.0 / se);
        }
    }
    bh(p_values, 2, q);
    for (size_t i = 1; i <= 2; i++) {
        nps_trend_point pt;
        CHECK_OK(nps_trend_result_point(tr, 0, i, &pt));
        CHECK_NEAR(pt.change.q_value, q[i - 1], 1e-9);
        CHECK(pt.change.significant == (q[i - 1] < 0.05));
    }

    /* The slope: NPS lies on the line 10t, so weighted least squares gives exactly 10 per month
     * whatever the weights; the weights 1/v (adjusted-Wald variances) give its SE, with the
     * dispersion factor max(1, 0) = 1. */
    double sw = 0, swt = 0, sxx = 0;
    for (int m = 0; m < 4; m++) {
        double w = 1.0 / adjusted_variance(50 + 10 * t_of[m], 50 - 10 * t_of[m], 200);
        sw += w;
        swt += w * t_of[m];
    }
    for (int m = 0; m < 4; m++) {
        double w = 1.0 / adjusted_variance(50 + 10 * t_of[m], 50 - 10 * t_of[m], 200);
        sxx += w * (t_of[m] - swt / sw) * (t_of[m] - swt / sw);
    }
    nps_slope s;
    CHECK_OK(nps_trend_result_slope(tr, 0, &s));
    CHECK_NEAR(s.per_period, 10.0, 1e-9);
    CHECK_NEAR(s.se, sqrt(1.0 / sxx), 1e-9);
    CHECK_NEAR(s.high - s.low, 2.0 * Z95 * sqrt(1.0 / sxx), 1e-6);
    CHECK_NEAR(s.p_value, p_two_sided(10.0 * sqrt(sxx)), 1e-9);
    CHECK_NEAR(s.q_value, s.p_value, 1e-15); /* one slope: q = p */
    CHECK(s.direction == NPS_DIRECTION_RISING);
    CHECK_EQ_U64(s.periods, 4);

    /* A series has no key here: asking for its level 0 is out of range. */
    const char *value = NULL;
    nps_level_kind kind;
    CHECK_ERR(nps_trend_result_level(tr, 0, 0, &value, &kind), NPS_ERR_INVALID_ARGUMENT,
              "key is 0, but there are 0 keys");
    CHECK_ERR(nps_trend_result_slope(tr, 1, &s), NPS_ERR_INVALID_ARGUMENT,
              "series is 1, but there are 1 series");
    char *json = NULL;
    CHECK_OK(nps_trend_result_to_json(tr, &json));
    json_contains(json, "\"slopes_adjustment\"");
    nps_trend_result_free(tr);

    /* The study trigger: transactional NPS rising while relationship NPS is flat. */
    nps_table *flat = monthly(1);
    nps_study_trigger_result *trig = NULL;
    bool due = false;
    const char *reason = NULL;
    nps_slope ts, rs;
    size_t rising = 0;
    CHECK_OK(nps_study_trigger(t, flat, NULL, 0, "month", &o, &trig));
    CHECK_OK(nps_study_trigger_result_due(trig, &due, &reason));
    CHECK(due);
    CHECK(reason != NULL && strncmp(reason, "analytical study due", 20) == 0);
    CHECK_OK(nps_study_trigger_result_slopes(trig, &ts, &rs, &rising));
    CHECK_NEAR(ts.per_period, 10.0, 1e-9);
    CHECK_NEAR(rs.per_period, 0.0, 1e-9);
    CHECK(rs.direction == NPS_DIRECTION_FLAT);
    CHECK_EQ_U64(rising, 1);
    CHECK_OK(nps_study_trigger_result_to_json(trig, &json));
    json_contains(json, "\"due\":true");
    nps_study_trigger_result_free(trig);

    /* Both rising: no study due. */
    CHECK_OK(nps_study_trigger(t, t, NULL, 0, NULL, &o, &trig));
    CHECK_OK(nps_study_trigger_result_due(trig, &due, NULL));
    CHECK(!due);
    nps_study_trigger_result_free(trig);
    nps_table_free(flat);
    nps_table_free(t);
}

/* ---------------------------------------------------------------------------------------------
 * Attribution
 * ------------------------------------------------------------------------------------------- */

/* 2024-Q1: North 100 (60 promoters, 40 detractors: NPS 20), South 100 (80/20: NPS 60); overall
 * 40. 2024-Q2: North 300 (180/120: 20), South 100 (50/50: 0); overall 15. */
static nps_table *two_quarters(void) {
    enum { N = 600 };
    static double scores[N];
    static const char *region[N], *dates[N];
    const struct {
        const char *date, *region;
        int promoters, detractors;
    } blocks[] = {{"2024-02-01", "North", 60, 40},
                  {"2024-02-01", "South", 80, 20},
                  {"2024-05-01T09:30:00Z", "North", 180, 120},
                  {"2024-05-01T09:30:00Z", "South", 50, 50}};
    size_t i = 0;
    for (size_t b = 0; b < LEN(blocks); b++)
        for (int k = 0; k < blocks[b].promoters + blocks[b].detractors; k++, i++) {
            scores[i] = k < blocks[b].promoters ? 9.0 : 4.0;
            region[i] = blocks[b].region;
            dates[i] = blocks[b].date;
        }
    CHECK_EQ_U64(i, N);
    nps_table *t = NULL;
    CHECK_OK(nps_table_new(scores, N, &t));
    CHECK_OK(nps_table_add_dimension(t, "region", region, N));
    CHECK_OK(nps_table_set_dates_iso(t, dates, N));
    return t;
}

static void attribution(void) {
    nps_table *t = two_quarters();
    const char *dims[] = {"region"};
    const nps_split split = {.unit = "quarter", .from = "2024-Q1", .to = "2024-Q2"};
    nps_attribution *a = NULL;
    CHECK_OK(nps_attribute(t, dims, 1, &split, 0.95, &a));

    /* The change: 15 - 40 = -25, Wald SE from both quarters. */
    nps_comparison c;
    CHECK_OK(nps_attribution_change(a, &c));
    CHECK_NEAR(c.nps_a, 15.0, 1e-9);
    CHECK_NEAR(c.nps_b, 40.0, 1e-9);
    CHECK_NEAR(c.difference, -25.0, 1e-9);
    CHECK_NEAR(c.se, hypot(wald_se(230, 170, 400), wald_se(140, 60, 200)), 1e-9);

    /* Midpoint decomposition, mean overall NPS (40 + 15) / 2 = 27.5:
     * North: mix (0.75 - 0.5)(20 - 27.5) = -1.875, rate 0.625 (20 - 20) = 0;
     * South: mix (0.25 - 0.5)(30 - 27.5) = -0.625, rate 0.375 (0 - 60) = -22.5. */
    size_t n = 0;
    CHECK_OK(nps_attribution_len(a, &n));
    CHECK_EQ_U64(n, 1);
    nps_decomposition d;
    CHECK_OK(nps_attribution_decomposition(a, 0, &d));
    CHECK(strcmp(d.dimension, "region") == 0);
    CHECK_EQ_U64(d.segments, 2);
    CHECK_NEAR(d.mix, -2.5, 1e-9);
    CHECK_NEAR(d.rate, -22.5, 1e-9);
    CHECK_NEAR(d.mix + d.rate, c.difference, 1e-9);

    nps_segment_effect north, south;
    CHECK_OK(nps_attribution_segment(a, 0, 0, &north)); /* ranked: North pulled down less */
    CHECK_OK(nps_attribution_segment(a, 0, 1, &south));
    CHECK(north.kind == NPS_LEVEL_VALUE && strcmp(north.segment, "North") == 0);
    CHECK(strcmp(south.segment, "South") == 0);
    CHECK_NEAR(north.share_from, 0.5, 1e-12);
    CHECK_NEAR(north.share_to, 0.75, 1e-12);
    CHECK_NEAR(north.nps_from, 20.0, 1e-9);
    CHECK_NEAR(north.mix, -1.875, 1e-9);
    CHECK_NEAR(north.rate, 0.0, 1e-9);
    CHECK_NEAR(south.nps_to, 0.0, 1e-9);
    CHECK_NEAR(south.mix, -0.625, 1e-9);
    CHECK_NEAR(south.rate, -22.5, 1e-9);
    CHECK_NEAR(south.contribution, -23.125, 1e-9);
    CHECK_NEAR(north.contribution + south.contribution, c.difference, 1e-9);
    CHECK(south.se > 0 && south.high < 0);
    CHECK_NEAR(south.high - south.low, 2.0 * Z95 * south.se, 1e-6);
    CHECK_ERR(nps_attribution_segment(a, 0, 2, &north), NPS_ERR_INVALID_ARGUMENT,
              "segment is 2, but there are 2 segments");
    char *json = NULL;
    CHECK_OK(nps_attribution_to_json(a, &json));
    json_contains(json, "\"unit\":\"quarter\"");
    nps_attribution_free(a);

    /* The same split by a dimension's values instead of periods. */
    const char *months[600];
    for (size_t i = 0; i < 600; i++) months[i] = i < 200 ? "Q1" : "Q2";
    CHECK_OK(nps_table_add_dimension(t, "wave", months, 600));
    const nps_split by_wave = {.dimension = "wave", .from = "Q1", .to = "Q2"};
    CHECK_OK(nps_attribute(t, dims, 1, &by_wave, 0.95, &a));
    CHECK_OK(nps_attribution_decomposition(a, 0, &d));
    CHECK_NEAR(d.mix, -2.5, 1e-9);
    nps_attribution_free(a);
    nps_table_free(t);
}

/* ---------------------------------------------------------------------------------------------
 * Benchmark
 * ------------------------------------------------------------------------------------------- */

/* Own: 70 promoters, 30 detractors of 100 (NPS 40); Rival: 50/50 (NPS 0). Region alternates
 * N, S, so each region holds half of each brand with the same NPS. */
static nps_table *brands(void) {
    uint8_t scores[200];
    const char *brand[200], *region[200];
    double rating[200];
    for (int i = 0; i < 200; i++) {
        int own = i < 100, k = i % 100;
        scores[i] = k < (own ? 70 : 50) ? 10 : 2;
        brand[i] = own ? "Own" : "Rival";
        region[i] = k % 2 == 0 ? "N" : "S";
        rating[i] = k % 7 == 0 ? NAN : (own ? 3.0 : 4.0);
    }
    nps_table *t = NULL;
    CHECK_OK(nps_table_new_u8(scores, 200, &t));
    CHECK_OK(nps_table_add_dimension(t, "brand", brand, 200));
    CHECK_OK(nps_table_add_dimension(t, "region", region, 200));
    CHECK_OK(nps_table_add_driver(t, "app_ease", rating, 200));
    return t;
}

static void benchmark(void) {
    nps_table *t = brands();
    nps_benchmark_options o;
    CHECK_OK(nps_benchmark_options_default(&o));
    o.comparison = "wald";
    const char *by[] = {"region"};
    nps_benchmark_result *b = NULL;
    CHECK_OK(nps_benchmark(t, "brand", "Own", by, 1, NULL, NULL, &o, &b));

    size_t n = 0;
    CHECK_OK(nps_benchmark_result_len(b, &n));
    CHECK_EQ_U64(n, 6); /* 2 brands overall, then 2 brands in each of 2 regions */
    nps_brand_row own, rival;
    CHECK_OK(nps_benchmark_result_row(b, 0, &own));
    CHECK_OK(nps_benchmark_result_row(b, 1, &rival));
    CHECK(own.dimension == NULL && own.segment == NULL && own.segment_kind == NPS_LEVEL_ALL);
    CHECK(strcmp(own.brand, "Own") == 0 && strcmp(rival.brand, "Rival") == 0);
    CHECK(own.has_estimate && own.rank == 1 && !own.has_gap);
    CHECK_NEAR(own.estimate.nps, 40.0, 1e-9);
    CHECK(rival.rank == 2 && rival.has_gap);
    CHECK_NEAR(rival.estimate.nps, 0.0, 1e-9);

    /* The gap overall: 40 - 0 with SE sqrt(se_own^2 + se_rival^2) = sqrt(84 + 100). */
    double se_all = hypot(wald_se(70, 30, 100), wald_se(50, 50, 100));
    CHECK_NEAR(se_all, sqrt(184.0), 1e-9);
    CHECK_NEAR(rival.gap.comparison.difference, 40.0, 1e-9);
    CHECK_NEAR(rival.gap.comparison.se, se_all, 1e-9);
    /* Per region: the same NPS on half the answers. Three gaps adjusted together. */
    double se_region = hypot(wald_se(35, 15, 50), wald_se(25, 25, 50));
    double p[3] = {p_two_sided(40.0 / se_all), p_two_sided(40.0 / se_region),
                   p_two_sided(40.0 / se_region)};
    double q[3];
    bh(p, 3, q);
    CHECK_NEAR(rival.gap.comparison.p_value, p[0], 1e-9);
    CHECK_NEAR(rival.gap.q_value, q[0], 1e-9);
    CHECK(rival.gap.significant == (q[0] < 0.05));
    nps_brand_row r;
    CHECK_OK(nps_benchmark_result_row(b, 3, &r));
    CHECK(strcmp(r.dimension, "region") == 0 && strcmp(r.segment, "N") == 0);
    CHECK(strcmp(r.brand, "Rival") == 0 && r.has_gap);
    CHECK_NEAR(r.gap.comparison.se, se_region, 1e-9);
    CHECK_NEAR(r.gap.q_value, q[1], 1e-9);
    CHECK_OK(nps_benchmark_result_gains(b, &n));
    CHECK_EQ_U64(n, 0); /* no trend unit, no gains */

    /* Driver means: Own 3, Rival 4: the own brand lags the best competitor by 1. */
    char *json = NULL;
    CHECK_OK(nps_benchmark_result_to_json(b, &json));
    json_contains(json, "\"gap_to_best\":-1.0");
    CHECK_ERR(nps_benchmark_result_row(b, 6, &r), NPS_ERR_INVALID_ARGUMENT,
              "row is 6, but there are 6 rows");
    nps_benchmark_result_free(b);
    nps_table_free(t);
}

/* ---------------------------------------------------------------------------------------------
 * Journey
 * ------------------------------------------------------------------------------------------- */

static const char *claim_json =
    "{\"stages\": [{\"id\": \"claim\", \"name\": \"Claim\", \"scenes\": ["
    "  {\"id\": \"claim.report\", \"name\": \"Reporting a claim\", \"touchpoints\": ["
    "    {\"id\": \"claim.phone\", \"name\": \"By phone\"}, {\"id\": \"claim.app\"}]},"
    "  {\"id\": \"claim.settle\", \"name\": \"Settlement\", \"touchpoints\": ["
    "    {\"id\": \"claim.letter\", \"name\": \"Letter\"}, {\"id\": \"claim.web\"}]}]}]}";

static void journey(void) {
    nps_journey *j = NULL;
    CHECK_OK(nps_journey_from_json(claim_json, &j));
    /* phone: 10, 10, 0; app: 9, 7; letter: 0, 0, 10, 9; web: no response. */
    const double scores[] = {10, 10, 0, 9, 7, 0, 0, 10, 9};
    const char *tp[] = {"claim.phone", "claim.phone", "claim.phone", "claim.app", "claim.app",
                        "claim.letter", "claim.letter", "claim.letter", "claim.letter"};
    nps_table *t = NULL;
    CHECK_OK(nps_table_new(scores, LEN(scores), &t));
    CHECK_OK(nps_table_add_dimension(t, "touchpoint", tp, LEN(tp)));

    nps_journey_result *r = NULL;
    CHECK_OK(nps_journey_rollup(t, j, "touchpoint", NULL, &r));
    size_t n = 0;
    CHECK_OK(nps_journey_result_len(r, &n));
    CHECK_EQ_U64(n, 7);
    /* Tree order, with n, promoters and detractors by hand. */
    const struct {
        nps_node_kind kind;
        const char *id, *name, *parent;
        int n, p, d;
    } want[] = {
        {NPS_NODE_STAGE, "claim", "Claim", NULL, 9, 5, 3},
        {NPS_NODE_SCENE, "claim.report", "Reporting a claim", "claim", 5, 3, 1},
        {NPS_NODE_TOUCHPOINT, "claim.phone", "By phone", "claim.report", 3, 2, 1},
        {NPS_NODE_TOUCHPOINT, "claim.app", "claim.app", "claim.report", 2, 1, 0},
        {NPS_NODE_SCENE, "claim.settle", "Settlement", "claim", 4, 2, 2},
        {NPS_NODE_TOUCHPOINT, "claim.letter", "Letter", "claim.settle", 4, 2, 2},
        {NPS_NODE_TOUCHPOINT, "claim.web", "claim.web", "claim.settle", 0, 0, 0},
    };
    for (size_t i = 0; i < LEN(want); i++) {
        nps_journey_row row;
        CHECK_OK(nps_journey_result_row(r, i, &row));
        CHECK(row.kind == want[i].kind);
        CHECK(strcmp(row.id, want[i].id) == 0 && strcmp(row.name, want[i].name) == 0);
        CHECK(want[i].parent ? row.parent && strcmp(row.parent, want[i].parent) == 0
                             : row.parent == NULL);
        CHECK_NEAR(row.share, want[i].n / 9.0, 1e-12);
        CHECK(row.small);
        CHECK(row.has_estimate == (want[i].n > 0));
        if (want[i].n > 0) {
            CHECK_EQ_U64(row.estimate.n, (uint64_t)want[i].n);
            CHECK_NEAR(row.estimate.nps, nps_of(want[i].p, want[i].d, want[i].n), 1e-9);
        }
    }
    char *json = NULL;
    CHECK_OK(nps_journey_result_to_json(r, &json));
    json_contains(json, "\"kind\":\"touchpoint\"");
    nps_journey_result_free(r);

    /* The journey writes itself back as JSON that reads back. */
    nps_journey *again = NULL;
    CHECK_OK(nps_journey_to_json(j, &json));
    CHECK_OK(nps_journey_from_json(json, &again));
    nps_string_free(json);
    nps_journey_free(again);
    nps_table_free(t);
    nps_journey_free(j);
}

/* ---------------------------------------------------------------------------------------------
 * Bad input
 * ------------------------------------------------------------------------------------------- */

static void bad_journeys(void) {
    nps_journey *j = NULL;
    CHECK_OK(nps_journey_from_json(claim_json, &j));

    /* A response at a touchpoint the journey does not have. */
    const double scores[] = {10, 9, 3, 8};
    const char *tp[] = {"claim.phone", "claim.app", "claim.fax", "claim.app"};
    nps_table *t = NULL;
    CHECK_OK(nps_table_new(scores, 4, &t));
    CHECK_OK(nps_table_add_dimension(t, "touchpoint", tp, 4));
    nps_journey_result *r = NULL;
    CHECK_ERR(nps_journey_rollup(t, j, "touchpoint", NULL, &r), NPS_ERR_INVALID_JOURNEY,
              "response at index 2 has touchpoint \"claim.fax\", which is not in the journey");
    CHECK_ERR(nps_journey_rollup(t, j, "channel", NULL, &r), NPS_ERR_UNKNOWN_NAME,
              "unknown dimension \"channel\"; the table has \"touchpoint\"");
    CHECK(r == NULL);

    /* Duplicate ids. */
    nps_journey *bad = NULL;
    CHECK_ERR(nps_journey_from_json(
                  "{\"stages\": [{\"id\": \"claim\", \"scenes\": [{\"id\": \"claim.report\", "
                  "\"touchpoints\": [{\"id\": \"claim.phone\"}, {\"id\": \"claim.phone\"}]}]}]}",
                  &bad),
              NPS_ERR_INVALID_JOURNEY, "invalid journey at \"claim.phone\": duplicate id");
    /* A cycle, in the flat form: a -> c -> b -> a. */
    CHECK_ERR(nps_journey_from_json(
                  "{\"nodes\": [{\"id\": \"a\", \"kind\": \"stage\", \"parent\": \"c\"},"
                  " {\"id\": \"b\", \"kind\": \"scene\", \"parent\": \"a\"},"
                  " {\"id\": \"c\", \"kind\": \"touchpoint\", \"parent\": \"b\"}]}",
                  &bad),
              NPS_ERR_INVALID_JOURNEY, "cycle");
    /* An unknown parent, a touchpoint under a stage. */
    CHECK_ERR(nps_journey_from_json("{\"nodes\": [{\"id\": \"s\", \"kind\": \"stage\"}, {\"id\": "
                                    "\"t\", \"kind\": \"touchpoint\", \"parent\": \"x\"}]}",
                                    &bad),
              NPS_ERR_INVALID_JOURNEY, "parent \"x\" does not exist");
    CHECK_ERR(nps_journey_from_json("{\"nodes\": [{\"id\": \"s\", \"kind\": \"stage\"}, {\"id\": "
                                    "\"t\", \"kind\": \"touchpoint\", \"parent\": \"s\"}]}",
                                    &bad),
              NPS_ERR_INVALID_JOURNEY, "invalid journey at \"t\"");
    /* Not JSON, and JSON of neither form. */
    CHECK_ERR(nps_journey_from_json("{\"stages\": [", &bad), NPS_ERR_INVALID_JSON, "line 1");
    CHECK_ERR(nps_journey_from_json("{\"stages\": [{\"name\": \"Claim\"}]}", &bad),
              NPS_ERR_INVALID_JSON, "missing field `id`");
    CHECK_ERR(nps_journey_from_json("{\"stages\xff\": []}", &bad), NPS_ERR_INVALID_UTF8,
              "json is not valid UTF-8");
    CHECK_ERR(nps_journey_from_json(NULL, &bad), NPS_ERR_NULL_POINTER, "json is NULL");
    CHECK(bad == NULL);
    nps_table_free(t);
    nps_journey_free(j);
}

static void bad_tables(void) {
    const double scores[] = {10, 9, 3, 8};
    nps_table *t = NULL, *none = NULL;
    CHECK_ERR(nps_table_new((const double[]){10, 11}, 2, &none), NPS_ERR_INVALID_SCORE,
              "score at index 1 is 11");
    CHECK_ERR(nps_table_new(NULL, 3, &none), NPS_ERR_NULL_POINTER, "scores is NULL");
    CHECK(none == NULL);
    CHECK_OK(nps_table_new(scores, 4, &t));

    /* Dates that do not parse, or name a day that does not exist. */
    const char *month13[] = {"2024-01-05", "2024-02-29", "2024-13-01", "2024-03-01"};
    const char *slashes[] = {"2024/01/05", "2024-01-05", "2024-01-05", "2024-01-05"};
    const char *feb29[] = {"2024-01-05", "2023-02-29", "2024-01-05", "2024-01-05"};
    const char *with_null[] = {"2024-01-05", "2024-01-05", NULL, "2024-01-05"};
    const int32_t days[] = {0, 19723, INT32_MIN, 1};
    CHECK_ERR(nps_table_set_dates_iso(t, month13, 4), NPS_ERR_INVALID_DATE,
              "date at index 2 is \"2024-13-01\"");
    CHECK_ERR(nps_table_set_dates_iso(t, slashes, 4), NPS_ERR_INVALID_DATE,
              "date at index 0 is \"2024/01/05\"");
    CHECK_ERR(nps_table_set_dates_iso(t, feb29, 4), NPS_ERR_INVALID_DATE,
              "date at index 1 is \"2023-02-29\"");
    CHECK_ERR(nps_table_set_dates_iso(t, with_null, 4), NPS_ERR_NULL_POINTER,
              "texts[2] is NULL");
    CHECK_ERR(nps_table_set_dates(t, days, 4), NPS_ERR_INVALID_DATE,
              "date at index 2 is \"-2147483648\"");

    /* Columns of unequal length. */
    const char *brand[] = {"A", "B", "A"};
    const double three[] = {1, 1, 1};
    CHECK_ERR(nps_table_add_dimension(t, "brand", brand, 3), NPS_ERR_LENGTH_MISMATCH,
              "brand has 3 elements but scores has 4");
    CHECK_ERR(nps_table_set_weights(t, three, 3), NPS_ERR_LENGTH_MISMATCH,
              "weights has 3 elements but scores has 4");
    CHECK_ERR(nps_table_add_driver(t, "price", three, 3), NPS_ERR_LENGTH_MISMATCH,
              "price has 3 elements but scores has 4");
    CHECK_ERR(nps_table_set_dates_iso(t, month13, 2), NPS_ERR_LENGTH_MISMATCH,
              "dates has 2 elements but scores has 4");
    const char *levels[] = {"N", "S"};
    const uint32_t codes3[] = {0, 1, 0}, codes_bad[] = {0, 1, 2, NPS_NA};
    CHECK_ERR(nps_table_add_dimension_codes(t, "region", levels, 2, codes3, 3),
              NPS_ERR_LENGTH_MISMATCH, "region has 3 elements but scores has 4");
    CHECK_ERR(nps_table_add_dimension_codes(t, "region", levels, 2, codes_bad, 4),
              NPS_ERR_INVALID_ARGUMENT, "2 at index 2 of \"region\"");
    const char *same[] = {"N", "N"};
    CHECK_ERR(nps_table_add_dimension_codes(t, "region", same, 2, codes3, 3),
              NPS_ERR_INVALID_ARGUMENT, "\"N\" twice in \"region\"");
    const char *null_level[] = {"N", NULL};
    CHECK_ERR(nps_table_add_dimension_codes(t, "region", null_level, 2, codes_bad, 4),
              NPS_ERR_NULL_POINTER, "levels[1] is NULL");

    /* Strings that are not UTF-8, names taken, infinite ratings. */
    const char *bad_utf8[] = {"A", "B\xff", "A", "B"};
    CHECK_ERR(nps_table_add_dimension(t, "brand", bad_utf8, 4), NPS_ERR_INVALID_UTF8,
              "values[1] is not valid UTF-8");
    const char *brand4[] = {"A", "B", NULL, "B"};
    CHECK_OK(nps_table_add_dimension(t, "brand", brand4, 4));
    CHECK_ERR(nps_table_add_dimension(t, "brand", brand4, 4), NPS_ERR_INVALID_ARGUMENT,
              "column name is \"brand\"");
    const double infinite[] = {1, 2, INFINITY, 3};
    CHECK_ERR(nps_table_add_driver(t, "price", infinite, 4), NPS_ERR_INVALID_ARGUMENT,
              "inf at index 2 of \"price\"");

    /* None of the failed calls changed the table: it still has one dimension and no dates. */
    nps_grouping *g = NULL;
    const char *region[] = {"region"}, *brnad[] = {"brnad"}, *with_null_key[] = {"brand", NULL};
    CHECK_ERR(nps_group_by(t, region, 1, NULL, NULL, &g), NPS_ERR_UNKNOWN_NAME,
              "unknown dimension \"region\"; the table has \"brand\"");
    CHECK_ERR(nps_group_by(t, NULL, 0, "month", NULL, &g), NPS_ERR_UNKNOWN_NAME,
              "unknown column \"dates\"");

    /* Unknown names, units and methods. */
    CHECK_ERR(nps_group_by(t, brnad, 1, NULL, NULL, &g), NPS_ERR_UNKNOWN_NAME,
              "unknown dimension \"brnad\"; the table has \"brand\"");
    CHECK_ERR(nps_group_by(t, with_null_key, 2, NULL, NULL, &g), NPS_ERR_NULL_POINTER,
              "keys[1] is NULL");
    CHECK_ERR(nps_group_by(t, NULL, 0, "fortnight", NULL, &g), NPS_ERR_UNKNOWN_METHOD,
              "unknown period unit \"fortnight\"; expected one of day, week, month, "
              "quarter or year");
    nps_group_options o;
    CHECK_OK(nps_group_options_default(&o));
    o.level = 1.5;
    CHECK_ERR(nps_group_by(t, NULL, 0, NULL, &o, &g), NPS_ERR_INVALID_LEVEL,
              "confidence level is 1.5");
    o.level = 0.95;
    o.method = "walds";
    CHECK_ERR(nps_group_by(t, NULL, 0, NULL, &o, &g), NPS_ERR_UNKNOWN_METHOD, "\"walds\"");
    CHECK(g == NULL);

    /* Accessors out of range, NULL handles. */
    CHECK_OK(nps_group_by(t, NULL, 0, NULL, NULL, &g));
    const char *value = NULL;
    nps_level_kind kind;
    nps_estimate e;
    CHECK_ERR(nps_grouping_estimate(g, 1, &e, NULL), NPS_ERR_INVALID_ARGUMENT,
              "row is 1, but there are 1 rows");
    CHECK_ERR(nps_grouping_level(g, 0, 0, &value, &kind), NPS_ERR_INVALID_ARGUMENT,
              "key is 0, but there are 0 keys");
    CHECK_ERR(nps_grouping_level(g, 0, 0, NULL, &kind), NPS_ERR_NULL_POINTER, "value_out is NULL");
    size_t rows = 0;
    CHECK_ERR(nps_grouping_len(NULL, &rows), NPS_ERR_NULL_POINTER, "grouping is NULL");
    CHECK_ERR(nps_grouping_to_json(g, NULL), NPS_ERR_NULL_POINTER, "json_out is NULL");
    CHECK_OK(nps_grouping_estimate(g, 0, &e, NULL));
    CHECK_EQ_U64(e.n, 4);
    nps_grouping_free(g);
    CHECK_ERR(nps_group_by(NULL, NULL, 0, NULL, NULL, &g), NPS_ERR_NULL_POINTER,
              "table is NULL");
    CHECK_ERR(nps_table_add_dimension(NULL, "x", brand4, 4), NPS_ERR_NULL_POINTER,
              "table is NULL");
    CHECK_ERR(nps_table_add_dimension(t, NULL, brand4, 4), NPS_ERR_NULL_POINTER, "name is NULL");
    nps_table_free(NULL);
    nps_grouping_free(NULL);
    nps_string_free(NULL);
    nps_table_free(t);
}

static void bad_analyses(void) {
    nps_table *t = monthly(0);
    nps_trend_result *tr = NULL;
    nps_trend_options o;
    CHECK_OK(nps_trend_options_default(&o));

    /* Trends: units, keys, window, rate, comparison. */
    CHECK_ERR(nps_trend(t, NULL, 0, "fortnight", NULL, &tr), NPS_ERR_UNKNOWN_METHOD,
              "unknown period unit \"fortnight\"");
    const char *brand[] = {"brand"};
    CHECK_ERR(nps_trend(t, brand, 1, NULL, NULL, &tr), NPS_ERR_UNKNOWN_NAME,
              "unknown dimension \"brand\"; the table has none");
    o.window = 0;
    CHECK_ERR(nps_trend(t, NULL, 0, NULL, &o, &tr), NPS_ERR_INVALID_ARGUMENT, "window is 0");
    o.window = 1;
    o.rate = 1.0;
    CHECK_ERR(nps_trend(t, NULL, 0, NULL, &o, &tr), NPS_ERR_INVALID_ARGUMENT, "rate is 1");
    o.rate = 0.05;
    o.comparison = "score";
    CHECK_ERR(nps_trend(t, NULL, 0, NULL, &o, &tr), NPS_ERR_UNSUPPORTED_METHOD,
              "method \"score\" is not available for comparing periods");
    o.comparison = "\xfe";
    CHECK_ERR(nps_trend(t, NULL, 0, NULL, &o, &tr), NPS_ERR_INVALID_UTF8,
              "comparison is not valid UTF-8");
    CHECK(tr == NULL);
    nps_study_trigger_result *trig = NULL;
    CHECK_ERR(nps_study_trigger(t, NULL, NULL, 0, NULL, NULL, &trig), NPS_ERR_NULL_POINTER,
              "relationship is NULL");

    /* Attribution: splits. */
    nps_table *q = two_quarters();
    nps_attribution *a = NULL;
    const char *dims[] = {"region"}, *regoin[] = {"regoin"};
    nps_split split = {.unit = "quarter", .from = "2024-Q1", .to = "2024-Q3"};
    CHECK_ERR(nps_attribute(q, dims, 1, &split, 0.95, &a), NPS_ERR_UNKNOWN_NAME,
              "dimension \"quarter\" has no value \"2024-Q3\"");
    split.to = "2024-Q2";
    CHECK_ERR(nps_attribute(q, regoin, 1, &split, 0.95, &a), NPS_ERR_UNKNOWN_NAME,
              "unknown dimension \"regoin\"");
    CHECK_ERR(nps_attribute(q, NULL, 0, &split, 0.95, &a), NPS_ERR_INVALID_ARGUMENT,
              "dimensions is []");
    split.unit = "semester";
    CHECK_ERR(nps_attribute(q, dims, 1, &split, 0.95, &a), NPS_ERR_UNKNOWN_METHOD,
              "\"semester\"");
    split.dimension = "region";
    split.unit = "quarter";
    CHECK_ERR(nps_attribute(q, dims, 1, &split, 0.95, &a), NPS_ERR_INVALID_ARGUMENT,
              "split is both a dimension and a unit");
    split.dimension = NULL;
    split.unit = NULL;
    CHECK_ERR(nps_attribute(q, dims, 1, &split, 0.95, &a), NPS_ERR_INVALID_ARGUMENT,
              "split is neither a dimension nor a unit");
    split.unit = "quarter";
    split.from = NULL;
    CHECK_ERR(nps_attribute(q, dims, 1, &split, 0.95, &a), NPS_ERR_NULL_POINTER,
              "split.from is NULL");
    split.from = "2024-Q1";
    CHECK_ERR(nps_attribute(q, dims, 1, &split, 0.0, &a), NPS_ERR_INVALID_LEVEL,
              "confidence level is 0");
    CHECK_ERR(nps_attribute(q, dims, 1, NULL, 0.95, &a), NPS_ERR_NULL_POINTER, "split is NULL");
    CHECK(a == NULL);

    /* Benchmark: an own brand the table does not have, an unknown brand dimension. */
    nps_table *b = brands();
    nps_benchmark_result *br = NULL;
    CHECK_ERR(nps_benchmark(b, "brand", "Acme", NULL, 0, NULL, NULL, NULL, &br),
              NPS_ERR_UNKNOWN_NAME, "dimension \"brand\" has no value \"Acme\"");
    CHECK_ERR(nps_benchmark(b, "brnad", "Own", NULL, 0, NULL, NULL, NULL, &br),
              NPS_ERR_UNKNOWN_NAME, "unknown dimension \"brnad\"; the table has \"brand\", "
                                    "\"region\"");
    CHECK_ERR(nps_benchmark(b, "brand", "Own", NULL, 0, NULL, "fortnight", NULL, &br),
              NPS_ERR_UNKNOWN_METHOD, "\"fortnight\"");
    CHECK_ERR(nps_benchmark(b, "brand", "Own", NULL, 0, "quarter", NULL, NULL, &br),
              NPS_ERR_UNKNOWN_NAME, "dates");
    CHECK(br == NULL);
    nps_table_free(b);
    nps_table_free(q);
    nps_table_free(t);
}

int main(void) {
    group_by_brand_and_region();
    rising_trend();
    attribution();
    benchmark();
    journey();
    bad_journeys();
    bad_tables();
    bad_analyses();
    CHECK_DONE();
}
