/*
 * Map-reduce through the C ABI: cubes and driver moments built on two halves of a table's rows,
 * merged, and analysed, against the same analyses of the whole table (nps_group_by, nps_trend,
 * nps_drivers): group-by and trends exactly, driver importance to 1e-12. Then the JSON round
 * trips, and every bad input of the feature: each fails with its status and a message. Run
 * under valgrind by run.sh: no leak, no bad access.
 */
#include <stdlib.h>

#include "check.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))
#define N 40
#define HALF 20
#define DRIVER_TOL 1e-12

/* ---------------------------------------------------------------------------------------------
 * The responses: 40 rows made by a fixed generator. The second half brings a brand ("D") and
 * months (May, June) the first half lacks, and the halves overlap in March and April. Weights
 * are multiples of 0.5, whose sums are exact in any order, so weighted tallies merge exactly.
 * ------------------------------------------------------------------------------------------- */

static double scores[N], weights[N], speed[N], price[N], staff[N];
static const char *brand[N], *region[N];
static int32_t days[N];

static uint32_t lcg_state = 20240601u;

/* The next number of a linear congruential generator, in 0..2^24. */
static uint32_t next(void) {
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return lcg_state >> 8;
}

static void make_rows(void) {
    static const char *const brands[] = {"A", "B", "C", "D"};
    static const char *const regions[] = {"N", "S"};
    const int32_t jan1 = 19723, mar1 = 19783; /* 2024-01-01 and 2024-03-01, days since 1970 */
    for (size_t i = 0; i < N; i++) {
        int first = i < HALF;
        speed[i] = 1.0 + next() % 5;
        price[i] = 1.0 + next() % 5;
        staff[i] = 1.0 + next() % 5;
        double noise = (double)(next() % 5) - 2.0;
        double s = round(0.9 * speed[i] + 0.6 * price[i] + 0.4 * staff[i] + noise);
        scores[i] = s < 0 ? 0 : s > 10 ? 10 : s;
        if (i % 13 == 5) scores[i] = NAN; /* not answered */
        if (i % 11 == 3) speed[i] = NAN;  /* not rated */
        weights[i] = 0.5 * (1 + next() % 4);
        brand[i] = i % 9 == 4 ? NULL : brands[next() % (first ? 3 : 4)];
        region[i] = regions[next() % 2];
        /* First half: January to April; second half: March to June. */
        days[i] = first ? jan1 + (int32_t)(next() % 121) : mar1 + (int32_t)(next() % 122);
    }
}

/* The table of rows from..to-1 with every column. */
static nps_table *rows(size_t from, size_t to) {
    size_t n = to - from;
    nps_table *t = NULL;
    CHECK_OK(nps_table_new(scores + from, n, &t));
    CHECK_OK(nps_table_set_weights(t, weights + from, n));
    CHECK_OK(nps_table_add_dimension(t, "brand", brand + from, n));
    CHECK_OK(nps_table_add_dimension(t, "region", region + from, n));
    CHECK_OK(nps_table_set_dates(t, days + from, n));
    CHECK_OK(nps_table_add_driver(t, "speed", speed + from, n));
    CHECK_OK(nps_table_add_driver(t, "price", price + from, n));
    CHECK_OK(nps_table_add_driver(t, "staff", staff + from, n));
    return t;
}

/* ---------------------------------------------------------------------------------------------
 * Comparing results
 * ------------------------------------------------------------------------------------------- */

/* Two numbers are the same: equal, or both NaN. */
static int same(double a, double b) { return a == b || (isnan(a) && isnan(b)); }

#define CHECK_SAME(a, b)                                                                   \
    do {                                                                                   \
        double same_a_ = (a), same_b_ = (b);                                               \
        if (!same(same_a_, same_b_)) {                                                     \
            fprintf(stderr, "%s:%d: %s = %.17g, expected %.17g exactly\n", __FILE__,      \
                    __LINE__, #a, same_a_, same_b_);                                       \
            check_fail(__FILE__, __LINE__, #a);                                            \
        }                                                                                  \
    } while (0)

/* Whether two levels (as the *_level accessors give them) are the same. */
static int same_level(const char *va, nps_level_kind ka, const char *vb, nps_level_kind kb) {
    return ka == kb && (va == NULL ? vb == NULL : vb != NULL && strcmp(va, vb) == 0);
}

/* Whether row `ra` of grouping `a` and row `rb` of `b` have the same levels on `n_keys` keys. */
static int same_group(const nps_grouping *a, size_t ra, const nps_grouping *b, size_t rb,
                      size_t n_keys) {
    for (size_t k = 0; k < n_keys; k++) {
        const char *va = NULL, *vb = NULL;
        nps_level_kind ka = NPS_LEVEL_VALUE, kb = NPS_LEVEL_VALUE;
        CHECK_OK(nps_grouping_level(a, ra, k, &va, &ka));
        CHECK_OK(nps_grouping_level(b, rb, k, &vb, &kb));
        if (!same_level(va, ka, vb, kb)) return 0;
    }
    return 1;
}

/* Two estimates are identical in every number. */
static void same_estimate(const nps_estimate *a, const nps_estimate *b) {
    CHECK_EQ_U64(a->n, b->n);
    CHECK_EQ_U64(a->n_missing, b->n_missing);
    CHECK(a->weighted == b->weighted);
    CHECK_SAME(a->n_eff, b->n_eff);
    CHECK_SAME(a->promoters, b->promoters);
    CHECK_SAME(a->detractors, b->detractors);
    CHECK_SAME(a->nps, b->nps);
    CHECK_SAME(a->se, b->se);
    CHECK_SAME(a->low, b->low);
    CHECK_SAME(a->high, b->high);
}

/* Every group of `whole` is in `merged`, found by its levels, with the same n, NPS, interval
 * and small flag (or, both, no estimate); and they have as many groups. Returns the number of
 * groups with an estimate. */
static size_t same_groupings(const nps_grouping *whole, const nps_grouping *merged) {
    size_t len = 0, len_merged = 0, n_keys = 0, n_keys_merged = 0, estimated = 0;
    CHECK_OK(nps_grouping_len(whole, &len));
    CHECK_OK(nps_grouping_len(merged, &len_merged));
    CHECK_EQ_U64(len_merged, len);
    CHECK_OK(nps_grouping_n_keys(whole, &n_keys));
    CHECK_OK(nps_grouping_n_keys(merged, &n_keys_merged));
    CHECK_EQ_U64(n_keys_merged, n_keys);
    for (size_t r = 0; r < len; r++) {
        size_t m = 0;
        while (m < len_merged && !same_group(whole, r, merged, m, n_keys)) m++;
        CHECK(m < len_merged);
        if (m == len_merged) continue;
        nps_estimate a = {0}, b = {0};
        bool small_a = false, small_b = false;
        nps_status sa = nps_grouping_estimate(whole, r, &a, &small_a);
        nps_status sb = nps_grouping_estimate(merged, m, &b, &small_b);
        CHECK(sa == sb && (sa == NPS_OK || sa == NPS_ERR_EMPTY));
        if (sa != NPS_OK || sb != NPS_OK) continue;
        same_estimate(&a, &b);
        CHECK(small_a == small_b);
        estimated++;
    }
    return estimated;
}

/* Two results have the same JSON text (they are equal in every number and in order). */
static void same_json(char *a, char *b) {
    CHECK(a != NULL && b != NULL && strcmp(a, b) == 0);
    nps_string_free(a);
    nps_string_free(b);
}

static void same_grouping_json(const nps_grouping *a, const nps_grouping *b) {
    char *ja = NULL, *jb = NULL;
    CHECK_OK(nps_grouping_to_json(a, &ja));
    CHECK_OK(nps_grouping_to_json(b, &jb));
    same_json(ja, jb);
}

static void same_trend_json(const nps_trend_result *a, const nps_trend_result *b) {
    char *ja = NULL, *jb = NULL;
    CHECK_OK(nps_trend_result_to_json(a, &ja));
    CHECK_OK(nps_trend_result_to_json(b, &jb));
    same_json(ja, jb);
}

/* Whether series `sa` of `a` and `sb` of `b` have the same levels on `n_keys` keys. */
static int same_series(const nps_trend_result *a, size_t sa, const nps_trend_result *b,
                       size_t sb, size_t n_keys) {
    for (size_t k = 0; k < n_keys; k++) {
        const char *va = NULL, *vb = NULL;
        nps_level_kind ka = NPS_LEVEL_VALUE, kb = NPS_LEVEL_VALUE;
        CHECK_OK(nps_trend_result_level(a, sa, k, &va, &ka));
        CHECK_OK(nps_trend_result_level(b, sb, k, &vb, &kb));
        if (!same_level(va, ka, vb, kb)) return 0;
    }
    return 1;
}

/* Every series of `whole` is in `merged`, found by its levels (`n_keys` keys), with the same
 * points (label, flags, estimate, change) and slope; and they have as many series. Returns the
 * number of points with an estimate. */
static size_t same_trends(const nps_trend_result *whole, const nps_trend_result *merged,
                          size_t n_keys) {
    size_t len = 0, len_merged = 0, estimated = 0;
    CHECK_OK(nps_trend_result_len(whole, &len));
    CHECK_OK(nps_trend_result_len(merged, &len_merged));
    CHECK_EQ_U64(len_merged, len);
    for (size_t s = 0; s < len; s++) {
        size_t m = 0;
        while (m < len_merged && !same_series(whole, s, merged, m, n_keys)) m++;
        CHECK(m < len_merged);
        if (m == len_merged) continue;
        size_t points = 0, points_merged = 0;
        CHECK_OK(nps_trend_result_points(whole, s, &points));
        CHECK_OK(nps_trend_result_points(merged, m, &points_merged));
        CHECK_EQ_U64(points_merged, points);
        for (size_t p = 0; p < points && p < points_merged; p++) {
            nps_trend_point a, b;
            CHECK_OK(nps_trend_result_point(whole, s, p, &a));
            CHECK_OK(nps_trend_result_point(merged, m, p, &b));
            CHECK(strcmp(a.label, b.label) == 0);
            CHECK(a.gap == b.gap && a.small == b.small);
            CHECK(a.has_estimate == b.has_estimate && a.has_change == b.has_change);
            if (a.has_estimate && b.has_estimate) {
                same_estimate(&a.estimate, &b.estimate);
                estimated++;
            }
            CHECK_SAME(a.change.comparison.difference, b.change.comparison.difference);
            CHECK_SAME(a.change.comparison.se, b.change.comparison.se);
            CHECK_SAME(a.change.comparison.p_value, b.change.comparison.p_value);
            CHECK_SAME(a.change.q_value, b.change.q_value);
            CHECK(a.change.significant == b.change.significant);
        }
        nps_slope sa, sb;
        nps_status status_a = nps_trend_result_slope(whole, s, &sa);
        nps_status status_b = nps_trend_result_slope(merged, m, &sb);
        CHECK(status_a == status_b);
        if (status_a == NPS_OK && status_b == NPS_OK) {
            CHECK_SAME(sa.per_period, sb.per_period);
            CHECK_SAME(sa.se, sb.se);
            CHECK_SAME(sa.p_value, sb.p_value);
            CHECK_SAME(sa.q_value, sb.q_value);
            CHECK(sa.direction == sb.direction && sa.periods == sb.periods);
        }
    }
    return estimated;
}

/* ---------------------------------------------------------------------------------------------
 * Cubes
 * ------------------------------------------------------------------------------------------- */

static const char *const BRAND_REGION[] = {"brand", "region"};

/* The cube of `t` by brand and region (the first `n_keys` of them) and month (when `month`),
 * or NULL on failure, which is reported. */
static nps_cube *cube_of(const nps_table *t, size_t n_keys, int month) {
    nps_cube *c = NULL;
    CHECK_OK(nps_cube_new(t, BRAND_REGION, n_keys, month ? "month" : NULL, &c));
    return c;
}

/* The cube of the first half merged with the cube of the second half. */
static nps_cube *merged_halves(const nps_table *first, const nps_table *second, size_t n_keys,
                               int month) {
    nps_cube *c = cube_of(first, n_keys, month);
    nps_cube *other = cube_of(second, n_keys, month);
    CHECK_OK(nps_cube_merge(c, other));
    nps_cube_free(other);
    return c;
}

static void cube_group_by(const nps_table *whole, const nps_table *first,
                          const nps_table *second) {
    nps_group_options o;
    CHECK_OK(nps_group_options_default(&o));
    o.method = "wald";
    o.margins = true;
    o.min_n = 5;

    nps_grouping *expected = NULL, *g = NULL, *g_whole = NULL;
    CHECK_OK(nps_group_by(whole, BRAND_REGION, 2, "month", &o, &expected));

    /* The merged halves give every group, margins included, exactly. */
    nps_cube *c = merged_halves(first, second, 2, 1);
    CHECK_OK(nps_cube_group_by(c, &o, &g));
    size_t estimated = same_groupings(expected, g);
    CHECK(estimated > 30);
    /* Here "D" (new in the second half) sorts after the first half's brands, and the months
     * line up, so even the order of the rows is the whole table's. */
    same_grouping_json(expected, g);

    /* The cube of the whole table is what nps_group_by computes. */
    nps_cube *cw = cube_of(whole, 2, 1);
    CHECK_OK(nps_cube_group_by(cw, &o, &g_whole));
    same_grouping_json(expected, g_whole);
    nps_grouping_free(g_whole);
    g_whole = NULL;

    /* Default options (NULL), no period, one key. */
    nps_grouping *by_brand = NULL, *by_brand_merged = NULL;
    nps_cube *cb = merged_halves(first, second, 1, 0);
    CHECK_OK(nps_group_by(whole, BRAND_REGION, 1, NULL, NULL, &by_brand));
    CHECK_OK(nps_cube_group_by(cb, NULL, &by_brand_merged));
    CHECK_EQ_U64(same_groupings(by_brand, by_brand_merged), 5); /* A, B, C, D, missing */
    same_grouping_json(by_brand, by_brand_merged);

    /* Merging the parts in the other order gives the same groups (rows in another order). */
    nps_cube *reverse = cube_of(second, 2, 1), *part = cube_of(first, 2, 1);
    CHECK_OK(nps_cube_merge(reverse, part));
    CHECK_OK(nps_cube_group_by(reverse, &o, &g_whole));
    CHECK(same_groupings(expected, g_whole) == estimated);

    nps_grouping_free(g_whole);
    nps_grouping_free(by_brand);
    nps_grouping_free(by_brand_merged);
    nps_grouping_free(expected);
    nps_grouping_free(g);
    nps_cube_free(reverse);
    nps_cube_free(part);
    nps_cube_free(cb);
    nps_cube_free(cw);
    nps_cube_free(c);
}

static void cube_trend(const nps_table *whole, const nps_table *first, const nps_table *second) {
    nps_trend_options o;
    CHECK_OK(nps_trend_options_default(&o));

    /* By brand, month by month: January to June, though neither half spans it. */
    nps_trend_result *expected = NULL, *tr = NULL;
    nps_cube *c = merged_halves(first, second, 1, 1);
    CHECK_OK(nps_trend(whole, BRAND_REGION, 1, "month", &o, &expected));
    CHECK_OK(nps_cube_trend(c, &o, &tr));
    CHECK(same_trends(expected, tr, 1) > 10);
    same_trend_json(expected, tr);
    size_t points = 0;
    CHECK_OK(nps_trend_result_points(tr, 0, &points));
    CHECK_EQ_U64(points, 6);
    nps_trend_point first_point, last_point;
    CHECK_OK(nps_trend_result_point(tr, 0, 0, &first_point));
    CHECK_OK(nps_trend_result_point(tr, 0, 5, &last_point));
    CHECK(strcmp(first_point.label, "2024-01") == 0 && strcmp(last_point.label, "2024-06") == 0);
    nps_trend_result_free(expected);
    nps_trend_result_free(tr);
    nps_cube_free(c);

    /* By brand and region, windows of two months, NULL options elsewhere. */
    o.window = 2;
    o.method = "wald";
    c = merged_halves(first, second, 2, 1);
    CHECK_OK(nps_trend(whole, BRAND_REGION, 2, "month", &o, &expected));
    CHECK_OK(nps_cube_trend(c, &o, &tr));
    CHECK(same_trends(expected, tr, 2) > 10);
    same_trend_json(expected, tr);
    nps_trend_result_free(expected);
    nps_trend_result_free(tr);
    nps_cube_free(c);

    /* No groups: the whole table's series. */
    nps_cube *months = NULL, *months_second = NULL;
    CHECK_OK(nps_cube_new(first, NULL, 0, "month", &months));
    CHECK_OK(nps_cube_new(second, NULL, 0, "month", &months_second));
    CHECK_OK(nps_cube_merge(months, months_second));
    CHECK_OK(nps_trend(whole, NULL, 0, NULL, NULL, &expected));
    CHECK_OK(nps_cube_trend(months, NULL, &tr));
    CHECK(same_trends(expected, tr, 0) == 6);
    same_trend_json(expected, tr);
    nps_trend_result_free(expected);
    nps_trend_result_free(tr);
    nps_cube_free(months);
    nps_cube_free(months_second);
}

static void cube_json(const nps_table *first, const nps_table *second) {
    nps_cube *c = merged_halves(first, second, 2, 1), *back = NULL;
    char *json = NULL, *again = NULL;
    CHECK_OK(nps_cube_to_json(c, &json));
    CHECK(json != NULL && strstr(json, "\"2024-06\"") != NULL);
    CHECK_OK(nps_cube_from_json(json, &back));
    CHECK_OK(nps_cube_to_json(back, &again));
    same_json(json, again);

    nps_grouping *a = NULL, *b = NULL;
    CHECK_OK(nps_cube_group_by(c, NULL, &a));
    CHECK_OK(nps_cube_group_by(back, NULL, &b));
    same_grouping_json(a, b);
    nps_grouping_free(a);
    nps_grouping_free(b);

    /* A cube read back merges like any other: into itself, every count doubles. */
    nps_grouping *doubled = NULL;
    size_t len = 0, len_doubled = 0;
    CHECK_OK(nps_cube_group_by(back, NULL, &a));
    CHECK_OK(nps_cube_merge(back, back));
    CHECK_OK(nps_cube_group_by(back, NULL, &doubled));
    CHECK_OK(nps_grouping_len(a, &len));
    CHECK_OK(nps_grouping_len(doubled, &len_doubled));
    CHECK(len > 10 && len_doubled == len);
    for (size_t r = 0; r < len && r < len_doubled; r++) {
        nps_tally *once = NULL, *twice = NULL;
        uint64_t n = 0, n_twice = 0, missing = 0, missing_twice = 0;
        CHECK(same_group(a, r, doubled, r, 3));
        CHECK_OK(nps_grouping_tally(a, r, &once));
        CHECK_OK(nps_grouping_tally(doubled, r, &twice));
        CHECK_OK(nps_tally_n(once, &n));
        CHECK_OK(nps_tally_n(twice, &n_twice));
        CHECK_OK(nps_tally_missing(once, &missing));
        CHECK_OK(nps_tally_missing(twice, &missing_twice));
        CHECK_EQ_U64(n_twice, 2 * n);
        CHECK_EQ_U64(missing_twice, 2 * missing);
        nps_tally_free(once);
        nps_tally_free(twice);
    }
    nps_grouping_free(a);
    nps_grouping_free(doubled);
    nps_cube_free(back);
    nps_cube_free(c);
}

static void bad_cubes(const nps_table *t) {
    nps_cube *by_brand = cube_of(t, 1, 0), *by_month = cube_of(t, 1, 1), *c = NULL;
    const char *unknown[] = {"brnad"};
    const char *null_key[] = {"brand", NULL};

    /* Cubes over different keys do not merge, and the cube merged into is unchanged. */
    CHECK_ERR(nps_cube_merge(by_brand, by_month), NPS_ERR_INVALID_ARGUMENT,
              "cubes merge only over the same keys and scale");
    CHECK(strstr(check_last_error(), "[\"brand\"]") != NULL &&
          strstr(check_last_error(), "[\"brand\", \"month\"]") != NULL);
    nps_grouping *g = NULL;
    size_t len = 0;
    CHECK_OK(nps_cube_group_by(by_brand, NULL, &g));
    CHECK_OK(nps_grouping_len(g, &len));
    CHECK_EQ_U64(len, 5);
    nps_grouping_free(g);

    /* A trend needs the period as the cube's last key. */
    nps_trend_result *tr = NULL;
    CHECK_ERR(nps_cube_trend(by_brand, NULL, &tr), NPS_ERR_INVALID_ARGUMENT,
              "a cube whose last key is the trend's period unit");
    CHECK(tr == NULL);

    /* Bad options are those of nps_group_by and nps_trend. */
    nps_group_options go;
    CHECK_OK(nps_group_options_default(&go));
    go.method = "walds";
    CHECK_ERR(nps_cube_group_by(by_brand, &go, &g), NPS_ERR_UNKNOWN_METHOD, "\"walds\"");
    nps_trend_options to;
    CHECK_OK(nps_trend_options_default(&to));
    to.window = 0;
    CHECK_ERR(nps_cube_trend(by_month, &to, &tr), NPS_ERR_INVALID_ARGUMENT, "window is 0");

    /* Bad keys are those of nps_group_by. */
    CHECK_ERR(nps_cube_new(t, unknown, 1, NULL, &c), NPS_ERR_UNKNOWN_NAME, "\"brnad\"");
    CHECK_ERR(nps_cube_new(t, null_key, 2, NULL, &c), NPS_ERR_NULL_POINTER,
              "keys[1] is NULL; it must point to a string");
    CHECK_ERR(nps_cube_new(t, NULL, 0, "fortnight", &c), NPS_ERR_UNKNOWN_METHOD, "\"fortnight\"");
    CHECK(c == NULL);

    /* Text that is not a cube. */
    CHECK_ERR(nps_cube_from_json("not json", &c), NPS_ERR_INVALID_JSON,
              "the JSON text is not a valid cube: expected ident at line 1 column 2");
    CHECK_ERR(nps_cube_from_json("{\"n\": 3}", &c), NPS_ERR_INVALID_JSON,
              "the JSON text is not a valid cube: missing field");
    char *json = NULL;
    CHECK_OK(nps_cube_to_json(by_brand, &json));
    char *cells = json == NULL ? NULL : strstr(json, "\"combos\":[0,1");
    CHECK(cells != NULL);
    if (cells != NULL) { /* cells out of order */
        cells[10] = '1';
        cells[12] = '0';
        CHECK_ERR(nps_cube_from_json(json, &c), NPS_ERR_INVALID_JSON,
                  "ascending cells within the keys' labels");
    }
    nps_string_free(json);
    CHECK_ERR(nps_cube_from_json("\"\xff\"", &c), NPS_ERR_INVALID_UTF8, "json is not valid UTF-8");
    CHECK(c == NULL);

    /* NULL pointers are named; freeing NULL does nothing. */
    CHECK_ERR(nps_cube_new(NULL, NULL, 0, NULL, &c), NPS_ERR_NULL_POINTER, "table is NULL");
    CHECK_ERR(nps_cube_new(t, NULL, 0, NULL, NULL), NPS_ERR_NULL_POINTER, "out is NULL");
    CHECK_ERR(nps_cube_merge(NULL, by_brand), NPS_ERR_NULL_POINTER, "into is NULL");
    CHECK_ERR(nps_cube_merge(by_brand, NULL), NPS_ERR_NULL_POINTER, "other is NULL");
    CHECK_ERR(nps_cube_to_json(NULL, &json), NPS_ERR_NULL_POINTER, "cube is NULL");
    CHECK_ERR(nps_cube_to_json(by_brand, NULL), NPS_ERR_NULL_POINTER, "json_out is NULL");
    CHECK_ERR(nps_cube_from_json(NULL, &c), NPS_ERR_NULL_POINTER, "json is NULL");
    CHECK_ERR(nps_cube_group_by(NULL, NULL, &g), NPS_ERR_NULL_POINTER, "cube is NULL");
    CHECK_ERR(nps_cube_trend(by_month, NULL, NULL), NPS_ERR_NULL_POINTER, "out is NULL");
    nps_cube_free(NULL);

    nps_cube_free(by_brand);
    nps_cube_free(by_month);
}

/* ---------------------------------------------------------------------------------------------
 * Driver moments
 * ------------------------------------------------------------------------------------------- */

/* Two importance results agree: R², rows used and every row (driver, importance, share, sign)
 * to `tol`. */
static void same_importance(const nps_driver_importance *a, const nps_driver_importance *b,
                            double tol) {
    size_t len = 0, len_b = 0;
    uint64_t n = 0, n_b = 0;
    double r2 = 0, r2_b = 0;
    CHECK_OK(nps_driver_importance_len(a, &len));
    CHECK_OK(nps_driver_importance_len(b, &len_b));
    CHECK_EQ_U64(len_b, len);
    CHECK_OK(nps_driver_importance_n(a, &n));
    CHECK_OK(nps_driver_importance_n(b, &n_b));
    CHECK_EQ_U64(n_b, n);
    CHECK_OK(nps_driver_importance_r2(a, &r2));
    CHECK_OK(nps_driver_importance_r2(b, &r2_b));
    CHECK(r2 > 0.05);
    CHECK_NEAR(r2_b, r2, tol);
    for (size_t i = 0; i < len && i < len_b; i++) {
        nps_driver_row x, y;
        CHECK_OK(nps_driver_importance_row(a, i, &x));
        CHECK_OK(nps_driver_importance_row(b, i, &y));
        CHECK(strcmp(x.driver, y.driver) == 0);
        CHECK_NEAR(y.importance, x.importance, tol);
        CHECK_NEAR(y.share, x.share, tol);
        CHECK(x.sign == y.sign && !y.bootstrapped);
    }
}

/* The moments of the two halves, merged (NULL on failure, which is reported). */
static nps_driver_moments *merged_moments(const nps_table *first, const nps_table *second,
                                          const nps_driver_options *o) {
    nps_driver_moments *m = NULL, *other = NULL;
    CHECK_OK(nps_driver_moments_new(first, NULL, 0, o, &m));
    CHECK_OK(nps_driver_moments_new(second, NULL, 0, o, &other));
    CHECK_OK(nps_driver_moments_merge(m, other));
    nps_driver_moments_free(other);
    return m;
}

static void moments_importance(const nps_table *whole, const nps_table *first,
                               const nps_table *second) {
    /* Each method, outcome and missing-value handling against nps_drivers on the whole. */
    static const struct {
        const char *method, *outcome, *missing;
    } cases[] = {
        {NULL, NULL, NULL}, /* the defaults: Shapley of the score, listwise */
        {"johnson", "score", "pairwise"},
        {"pratt", "promoter", "listwise"},
        {"shapley", "detractor", "pairwise"},
    };
    for (size_t c = 0; c < LEN(cases); c++) {
        nps_driver_options o;
        CHECK_OK(nps_driver_options_default(&o));
        o.method = cases[c].method;
        o.outcome = cases[c].outcome;
        o.missing = cases[c].missing;
        nps_driver_importance *expected = NULL, *r = NULL;
        CHECK_OK(nps_drivers(whole, NULL, 0, &o, &expected));
        nps_driver_moments *m = merged_moments(first, second, &o);
        CHECK_OK(nps_driver_moments_importance(m, &o, &r));
        same_importance(expected, r, DRIVER_TOL);
        nps_driver_importance_free(r);
        nps_driver_importance_free(expected);
        nps_driver_moments_free(m);
    }

    /* A subset of the drivers, in the order asked, as nps_drivers takes it. */
    {
        const char *names[] = {"staff", "speed"};
        nps_driver_moments *m = NULL, *other = NULL;
        nps_driver_importance *expected = NULL, *r = NULL;
        CHECK_OK(nps_driver_moments_new(first, names, 2, NULL, &m));
        CHECK_OK(nps_driver_moments_new(second, names, 2, NULL, &other));
        CHECK_OK(nps_driver_moments_merge(m, other));
        CHECK_OK(nps_drivers(whole, names, 2, NULL, &expected));
        CHECK_OK(nps_driver_moments_importance(m, NULL, &r));
        same_importance(expected, r, DRIVER_TOL);
        size_t len = 0;
        CHECK_OK(nps_driver_importance_len(r, &len));
        CHECK(len == 2);
        const char *unknown[] = {"speedd"};
        nps_driver_moments *none = NULL;
        CHECK_ERR(nps_driver_moments_new(first, unknown, 1, NULL, &none), NPS_ERR_UNKNOWN_NAME,
                  "\"speedd\"");
        CHECK(none == NULL);
        nps_driver_importance_free(r);
        nps_driver_importance_free(expected);
        nps_driver_moments_free(other);
        nps_driver_moments_free(m);
    }

    /* NULL options: the defaults. */
    nps_driver_importance *expected = NULL, *r = NULL;
    nps_driver_moments *m = merged_moments(first, second, NULL);
    CHECK_OK(nps_drivers(whole, NULL, 0, NULL, &expected));
    CHECK_OK(nps_driver_moments_importance(m, NULL, &r));
    same_importance(expected, r, DRIVER_TOL);
    nps_driver_importance_free(r);

    /* The JSON round trip is exact: the same importance to the last bit. */
    char *json = NULL, *again = NULL;
    nps_driver_moments *back = NULL;
    CHECK_OK(nps_driver_moments_to_json(m, &json));
    CHECK(json != NULL && strstr(json, "\"speed\"") != NULL);
    CHECK_OK(nps_driver_moments_from_json(json, &back));
    CHECK_OK(nps_driver_moments_to_json(back, &again));
    same_json(json, again);
    nps_driver_importance *a = NULL, *b = NULL;
    CHECK_OK(nps_driver_moments_importance(m, NULL, &a));
    CHECK_OK(nps_driver_moments_importance(back, NULL, &b));
    same_importance(a, b, 0.0);
    nps_driver_importance_free(a);
    nps_driver_importance_free(b);

    /* Moments merged into themselves: twice the rows, the same correlations. */
    uint64_t n = 0, n_doubled = 0;
    CHECK_OK(nps_driver_moments_merge(back, back));
    CHECK_OK(nps_driver_moments_importance(back, NULL, &r));
    CHECK_OK(nps_driver_importance_n(expected, &n));
    CHECK_OK(nps_driver_importance_n(r, &n_doubled));
    CHECK_EQ_U64(n_doubled, 2 * n);
    double r2 = 0, r2_doubled = 0;
    CHECK_OK(nps_driver_importance_r2(expected, &r2));
    CHECK_OK(nps_driver_importance_r2(r, &r2_doubled));
    CHECK_NEAR(r2_doubled, r2, DRIVER_TOL);
    nps_driver_importance_free(r);
    nps_driver_importance_free(expected);
    nps_driver_moments_free(back);
    nps_driver_moments_free(m);
}

static void bad_moments(const nps_table *t) {
    nps_driver_options o;
    nps_driver_moments *m = NULL, *pairwise = NULL, *none = NULL;
    nps_driver_importance *r = NULL;
    CHECK_OK(nps_driver_moments_new(t, NULL, 0, NULL, &m));

    /* Spearman correlations and bootstrap replicates do not merge: refused at both ends. */
    CHECK_OK(nps_driver_options_default(&o));
    o.spearman = true;
    CHECK_ERR(nps_driver_moments_new(t, NULL, 0, &o, &none), NPS_ERR_INVALID_ARGUMENT,
              "spearman is true; Pearson correlations: ranks need every row at once and do not "
              "merge");
    CHECK_ERR(nps_driver_moments_importance(m, &o, &r), NPS_ERR_INVALID_ARGUMENT,
              "spearman is true");
    CHECK_OK(nps_driver_options_default(&o));
    o.replicates = 200;
    CHECK_ERR(nps_driver_moments_new(t, NULL, 0, &o, &none), NPS_ERR_INVALID_ARGUMENT,
              "replicates is 200; 0: bootstrap intervals resample rows");
    CHECK_ERR(nps_driver_moments_importance(m, &o, &r), NPS_ERR_INVALID_ARGUMENT,
              "replicates is 200");

    /* Options other than those the moments were built with. */
    CHECK_OK(nps_driver_options_default(&o));
    o.outcome = "promoter";
    CHECK_ERR(nps_driver_moments_importance(m, &o, &r), NPS_ERR_INVALID_ARGUMENT,
              "options with the outcome, missing handling and drivers the moments were built for");
    o.outcome = "nps";
    CHECK_ERR(nps_driver_moments_new(t, NULL, 0, &o, &none), NPS_ERR_UNKNOWN_METHOD, "\"nps\"");

    /* Moments of other columns or missing-value handling do not merge. */
    CHECK_OK(nps_driver_options_default(&o));
    o.missing = "pairwise";
    CHECK_OK(nps_driver_moments_new(t, NULL, 0, &o, &pairwise));
    CHECK_ERR(nps_driver_moments_merge(m, pairwise), NPS_ERR_INVALID_ARGUMENT,
              "moments merge only over the same columns and missing handling");

    /* A rating off the declared scale names the driver. */
    CHECK_OK(nps_driver_options_default(&o));
    o.has_rating_scale = true;
    o.rating_min = 1;
    o.rating_max = 4;
    CHECK_ERR(nps_driver_moments_new(t, NULL, 0, &o, &none), NPS_ERR_INVALID_DRIVER, "\"speed\"");

    /* A table without drivers has no moments. */
    const double scores[] = {10, 9, 3};
    nps_table *bare = NULL;
    CHECK_OK(nps_table_new(scores, LEN(scores), &bare));
    CHECK_ERR(nps_driver_moments_new(bare, NULL, 0, NULL, &none), NPS_ERR_INVALID_ARGUMENT,
              "at least one driver");
    nps_table_free(bare);

    /* Too few rows: found when the importance is asked for, not when the part is built. */
    nps_table *head = rows(0, 3);
    nps_driver_moments *few = NULL;
    CHECK_OK(nps_driver_moments_new(head, NULL, 0, NULL, &few));
    CHECK_ERR(nps_driver_moments_importance(few, NULL, &r), NPS_ERR_INVALID_DRIVER, "rows");
    nps_driver_moments_free(few);
    nps_table_free(head);

    /* Text that is not driver moments. */
    CHECK_ERR(nps_driver_moments_from_json("[1, 2", &none), NPS_ERR_INVALID_JSON,
              "the JSON text is not valid driver moments: ");
    /* Moments that parse but do not fit their columns: refused when read, not a panic later. */
    CHECK_ERR(nps_driver_moments_from_json(
                  "{\"names\": [\"outcome (score)\", \"a\"], \"kind\": {\"listwise\": "
                  "{\"rows\": 3, \"weight\": 3.0, \"mean\": [1.0], \"cross\": [1, 0, 0, 1]}}}",
                  &none),
              NPS_ERR_INVALID_JSON, "matching sizes");
    CHECK_ERR(nps_driver_moments_from_json("{\"names\": [\"outcome (score)\"], \"kind\": "
                                           "{\"pairwise\": []}}",
                                           &none),
              NPS_ERR_INVALID_JSON, "two columns or more");
    CHECK(none == NULL && r == NULL);

    /* NULL pointers are named; freeing NULL does nothing. */
    CHECK_ERR(nps_driver_moments_new(NULL, NULL, 0, NULL, &none), NPS_ERR_NULL_POINTER, "table is NULL");
    CHECK_ERR(nps_driver_moments_merge(NULL, m), NPS_ERR_NULL_POINTER, "into is NULL");
    CHECK_ERR(nps_driver_moments_importance(NULL, NULL, &r), NPS_ERR_NULL_POINTER,
              "moments is NULL");
    CHECK_ERR(nps_driver_moments_to_json(m, NULL), NPS_ERR_NULL_POINTER, "json_out is NULL");
    CHECK_ERR(nps_driver_moments_from_json(NULL, &none), NPS_ERR_NULL_POINTER, "json is NULL");
    nps_driver_moments_free(NULL);

    nps_driver_moments_free(pairwise);
    nps_driver_moments_free(m);
}

int main(void) {
    make_rows();
    nps_table *whole = rows(0, N), *first = rows(0, HALF), *second = rows(HALF, N);
    cube_group_by(whole, first, second);
    cube_trend(whole, first, second);
    cube_json(first, second);
    bad_cubes(whole);
    moments_importance(whole, first, second);
    bad_moments(whole);
    nps_table_free(whole);
    nps_table_free(first);
    nps_table_free(second);
    CHECK_DONE();
}
